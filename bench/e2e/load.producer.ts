import { KafkaAdmin, kafkaBootstrap, uniqueName } from '@org/testing';
import type { SimulationSummary } from '@org/telemetry/simulator/simulation.runner';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export interface ReadingsTopic {
  name: string;
  partitions: number;
  devices: number;
}

/**
 * A topic of its own for each load. Stored uncompressed: the simulator compresses with LZ4,
 * which KafkaJS cannot read without a plugin, so the broker decompresses on write and every
 * consumer under test reads the same plain batches.
 */
export async function createReadingsTopic(
  admin: KafkaAdmin,
  prefix: string,
  partitions: number,
  devices: number,
): Promise<ReadingsTopic> {
  const name = uniqueName(prefix);
  await admin.createTopic(name, partitions, { 'compression.type': 'uncompressed' });
  return { name, partitions, devices };
}

/** Readings from the past, as fast as the producer goes: the drain's backlog. */
export const produceBacklog = (topic: ReadingsTopic, count: number): Promise<SimulationSummary> =>
  simulate(topic, ['--mode', 'backlog', '--count', String(count)]);

/** Live readings at a fixed rate for a while: a steady phase's load. */
export const produceSteadily = (
  topic: ReadingsTopic,
  rate: number,
  seconds: number,
): Promise<SimulationSummary> =>
  simulate(topic, ['--mode', 'steady', '--rate', String(rate), '--duration', String(seconds)]);

/**
 * The telemetry app's simulator CLI in its own process (idempotent producer, acks=all), every
 * reading valid and distinct, so the rows stored must equal the records produced.
 */
async function simulate(topic: ReadingsTopic, args: string[]): Promise<SimulationSummary> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      require.resolve('@org/telemetry/simulator/simulator.main'),
      ...args,
      ...['--devices', String(topic.devices), '--invalid-ratio', '0', '--duplicate-ratio', '0'],
      ...['--progress', 'off', '--json'],
    ],
    {
      env: {
        ...process.env,
        KAFKA_BOOTSTRAP: kafkaBootstrap(),
        TELEMETRY_TOPIC: topic.name,
        TELEMETRY_PARTITIONS: String(topic.partitions),
      },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const summary = JSON.parse(stdout.trim().split('\n').pop()!) as SimulationSummary;
  if (summary.errors > 0)
    throw new Error(`the simulator failed to deliver ${summary.errors} records: ${summary.lastError}`);
  return summary;
}
