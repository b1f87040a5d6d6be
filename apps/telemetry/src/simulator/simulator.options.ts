import { parseArgs } from 'node:util';
import { readingsTopicFromEnv, telemetryConfigFromEnv } from '../config/telemetry.config';
import { SimulationMode } from './simulation.pacer';

export type ProgressStyle = 'auto' | 'bar' | 'lines' | 'off';

export interface SimulatorOptions {
  bootstrap: string;
  rdkafka: Record<string, string>;
  topic: string;
  partitions: number;
  devices: number;
  mode: SimulationMode;
  rate: number;
  /** Seconds to run; undefined: until `count` (backlog) or Ctrl-C. */
  durationSeconds: number | undefined;
  count: number | undefined;
  invalidRatio: number;
  duplicateRatio: number;
  burstFactor: number;
  burstSeconds: number;
  burstEverySeconds: number;
  seed: number;
  /** Share of readings produced under a traced producer span (W3C traceparent header), 0..1. */
  traceRatio: number;
  progress: ProgressStyle;
  json: boolean;
}

export const SIMULATOR_USAGE = `Usage: pnpm simulate [options]   (node apps/telemetry/dist/simulator/simulator.main.js)

Produces realistic device readings to the telemetry topic (idempotent producer, acks=all).

  --devices N           fleet size (default 500000)
  --rate R              records per second (default devices / 60: one reading per device per minute)
  --mode M              steady | burst | backlog (default steady)
                          burst:   --burst-factor × the rate for --burst-seconds every --burst-every seconds
                          backlog: --count readings from the past, as fast as possible (default one per device)
  --duration S          stop after S seconds (default 60 for steady and burst)
  --count N             stop after N records
  --invalid-ratio X     share of invalid readings, 0..1 (default 0.01)
  --duplicate-ratio X   share of readings sent twice, 0..1 (default 0.001)
  --burst-factor F      (default 5)   --burst-seconds S (default 10)   --burst-every S (default 60)
  --seed N              random seed (default 1)
  --trace-ratio X       share of readings sent under a producer span whose context goes in their
                        traceparent header, 0..1 (default 0; spans are exported with OTEL_* as the service)
  --progress P          auto | bar | lines | off (default auto: a bar on a terminal)
  --json                print the summary as one JSON line on stdout
  --help

Environment: KAFKA_BOOTSTRAP, KAFKA_SECURITY_PROTOCOL/KAFKA_SASL_*, TELEMETRY_TOPIC,
TELEMETRY_PARTITIONS (the topic is created with this count when missing), as for the service.`;

export class UsageError extends Error {}

export function parseSimulatorOptions(
  argv: string[],
  env: NodeJS.ProcessEnv = process.env,
): SimulatorOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      options: {
        devices: { type: 'string' },
        rate: { type: 'string' },
        mode: { type: 'string' },
        duration: { type: 'string' },
        count: { type: 'string' },
        'invalid-ratio': { type: 'string' },
        'duplicate-ratio': { type: 'string' },
        'burst-factor': { type: 'string' },
        'burst-seconds': { type: 'string' },
        'burst-every': { type: 'string' },
        seed: { type: 'string' },
        'trace-ratio': { type: 'string' },
        progress: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (parsed.help) return 'help';
  const config = telemetryConfigFromEnv(env);
  const mode = choice('--mode', parsed.mode, 'steady', ['steady', 'burst', 'backlog'] as const);
  const devices = number('--devices', parsed.devices, 500_000, 1, 10_000_000, true);
  const count = parsed.count === undefined ? undefined : number('--count', parsed.count, 0, 1, 1e9, true);
  return {
    bootstrap: config.kafkaBootstrap,
    rdkafka: config.kafkaSecurity,
    topic: readingsTopicFromEnv(env),
    partitions: config.partitions,
    devices,
    mode,
    rate: number('--rate', parsed.rate, devices / 60, 0.001, 10_000_000, false),
    durationSeconds:
      parsed.duration !== undefined
        ? number('--duration', parsed.duration, 0, 0.1, 31_536_000, false)
        : mode === 'backlog' || count !== undefined
          ? undefined
          : 60,
    count: count ?? (mode === 'backlog' ? devices : undefined),
    invalidRatio: number('--invalid-ratio', parsed['invalid-ratio'], 0.01, 0, 1, false),
    duplicateRatio: number('--duplicate-ratio', parsed['duplicate-ratio'], 0.001, 0, 0.9, false),
    burstFactor: number('--burst-factor', parsed['burst-factor'], 5, 1, 1000, false),
    burstSeconds: number('--burst-seconds', parsed['burst-seconds'], 10, 0.1, 86_400, false),
    burstEverySeconds: number('--burst-every', parsed['burst-every'], 60, 0.1, 86_400, false),
    seed: number('--seed', parsed.seed, 1, 0, 2 ** 32 - 1, true),
    traceRatio: number('--trace-ratio', parsed['trace-ratio'], 0, 0, 1, false),
    progress: choice('--progress', parsed.progress, 'auto', ['auto', 'bar', 'lines', 'off'] as const),
    json: parsed.json ?? false,
  };
}

function number(
  flag: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
  integer: boolean,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (
    raw.trim() === '' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    throw new UsageError(
      `${flag} must be ${integer ? 'an integer' : 'a number'} in ${min}..${max} (got "${raw}")`,
    );
  }
  return value;
}

function choice<T extends string>(
  flag: string,
  raw: string | undefined,
  fallback: T,
  choices: readonly T[],
): T {
  if (raw === undefined) return fallback;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`${flag} must be one of ${choices.join(', ')} (got "${raw}")`);
  }
  return raw as T;
}
