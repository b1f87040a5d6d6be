// Benchmark for issue 20: what the exactly-once mode costs. The telemetry app's handler drains the
// same backlog in a new group from empty tables, in exactly-once mode (the app's setting: offsets
// stored in the handler's transaction) and at-least-once (the same handler, its writer in a
// transaction of its own), alternately, in one run; the report gives each round and the medians'
// ratio, for throughput and for CPU per reading.
//
//   pnpm bench:eos                                  # 500,000 readings, 3 rounds
//   RECORDS=200000 ROUNDS=1 pnpm bench:eos
import 'reflect-metadata';
import { integerVar } from '@org/telemetry/config/env.parsers';
import { KafkaAdmin } from '@org/testing';
import { BenchDatabase } from './e2e/bench.database';
import { Backlog, DrainResult, runDrain } from './e2e/drain.scenario';
import { e2eConfigFromEnv } from './e2e/e2e.config';
import { createReadingsTopic, produceBacklog } from './e2e/load.producer';
import { batchListener } from './e2e/variant';
import { machineDescription, writeReport } from './report';

const MODES = ['at-least-once', 'exactly-once'] as const;
type Mode = (typeof MODES)[number];

interface Drained {
  mode: Mode;
  round: number;
  readingsPerSecond: number;
  cpuSecondsPerMillion: number;
  counted: number;
}

async function main(): Promise<void> {
  const records = integerVar(process.env, 'RECORDS', 500_000, 1_000, 100_000_000);
  const rounds = integerVar(process.env, 'ROUNDS', 3, 1, 100);
  const config = { ...e2eConfigFromEnv(), drainRecords: records };
  const admin = new KafkaAdmin();
  const database = await BenchDatabase.create();
  const context = { admin, database, config };
  const topic = await createReadingsTopic(admin, 'eos', config.partitions, config.devices);
  const drained: Drained[] = [];
  try {
    console.log(`producing a backlog of ${records.toLocaleString('en-US')} readings…`);
    const produced = await produceBacklog(topic, records);
    const backlog: Backlog = { ...topic, records: produced.delivered };
    for (let round = 1; round <= rounds; round++) {
      // Each mode goes first in turn: the first drain of a round finds a colder database.
      for (const mode of round % 2 === 1 ? MODES : [...MODES].reverse()) {
        const variant = batchListener(config.appBatchSize, config.appConcurrency, 1, mode);
        const result = await runDrain(context, backlog, variant);
        drained.push({ mode, round, ...figures(result), counted: await countedMessages(database) });
        const last = drained.at(-1)!;
        console.log(
          `round ${round} ${mode}: ${Math.round(last.readingsPerSecond)} readings/s, ${last.cpuSecondsPerMillion.toFixed(1)} CPU-s per 1M`,
        );
      }
    }
  } finally {
    await admin.deleteTopic(topic.name);
    admin.close();
    await database.drop();
  }
  writeReport('exactly-once.md', render(drained, records));
}

function figures(result: DrainResult): Pick<Drained, 'readingsPerSecond' | 'cpuSecondsPerMillion'> {
  return {
    readingsPerSecond: result.recordsPerSecond,
    cpuSecondsPerMillion: ((result.cores ?? NaN) / result.recordsPerSecond) * 1e6,
  };
}

async function countedMessages(database: BenchDatabase): Promise<number> {
  const { rows } = await database.client.query<{ n: string }>(
    'SELECT coalesce(sum(messages), 0) AS n FROM device_minutes',
  );
  return Number(rows[0].n);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

function render(drained: Drained[], records: number): string {
  const of = (mode: Mode, key: 'readingsPerSecond' | 'cpuSecondsPerMillion') =>
    median(drained.filter((d) => d.mode === mode).map((d) => d[key]));
  const throughput = of('exactly-once', 'readingsPerSecond') / of('at-least-once', 'readingsPerSecond');
  const cpu = of('exactly-once', 'cpuSecondsPerMillion') / of('at-least-once', 'cpuSecondsPerMillion');
  return [
    `# Exactly-once against at-least-once: the telemetry handler draining ${records.toLocaleString('en-US')} readings`,
    '',
    `${new Date().toISOString()}, ${machineDescription()}. maxPollRecords 500, the app's concurrency; each drain in a new group from empty tables.`,
    '',
    '| round | mode | readings/s | consumer CPU-s per 1M readings | messages counted in device_minutes |',
    '|---:|---|---:|---:|---:|',
    ...drained.map(
      (d) =>
        `| ${d.round} | ${d.mode} | ${Math.round(d.readingsPerSecond).toLocaleString('en-US')} | ${d.cpuSecondsPerMillion.toFixed(1)} | ${d.counted.toLocaleString('en-US')} |`,
    ),
    '',
    `Medians, exactly-once against at-least-once: throughput ${throughput.toFixed(2)}×, CPU per reading ${cpu.toFixed(2)}×.`,
    '',
  ].join('\n');
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
