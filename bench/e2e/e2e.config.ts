import { ConfigError, integerVar } from '@org/telemetry/config/env.parsers';
import { telemetryConfigFromEnv } from '@org/telemetry/config/telemetry.config';

/** Sizes and durations of one run; the defaults are the full run, the environment shrinks them. */
export interface E2eConfig {
  partitions: number;
  devices: number;
  /** Readings in the drain backlog. */
  drainRecords: number;
  /** Time cap of each naive baseline's drain: their rate comes from what they did in it. */
  naiveSeconds: number;
  /** Time cap of each listener drain, so that one slow setup cannot stretch the run for hours. */
  drainCapSeconds: number;
  batchSizes: number[];
  concurrencies: number[];
  /** The telemetry app's own listener settings, used for the steady and scale scenarios. */
  appBatchSize: number;
  appConcurrency: number;
  scaleProcesses: number[];
  /** The seed's load: every device once a minute. */
  steadyRate: number;
  steadyMultipliers: number[];
  steadySeconds: number;
  /**
   * Load at the phase's rate before its measured window: a consumer's first seconds (compilation,
   * connection pools) are its start-up, not its steady state. Their lag is reported apart.
   */
  steadyWarmupSeconds: number;
  /** The naive baselines under the seed's load (0: not run). */
  naiveSteadySeconds: number;
  /** Bisection steps between the highest rate held and the lowest not held, and their length. */
  searchSteps: number;
  searchSeconds: number;
  /** How often lag, progress, CPU and memory are sampled. */
  sampleMs: number;
  /** Hand-made batching in the naive tweak writes a partial buffer after this long. */
  flushMs: number;
  /** Node flags of the consumer processes (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). */
  consumerNodeArgs: string[];
}

export function e2eConfigFromEnv(env: NodeJS.ProcessEnv = process.env): E2eConfig {
  const devices = integerVar(env, 'DEVICES', 500_000, 1, 10_000_000);
  return {
    partitions: 12,
    devices,
    drainRecords: integerVar(env, 'DRAIN_RECORDS', 2_000_000, 1, 100_000_000),
    naiveSeconds: integerVar(env, 'NAIVE_SECONDS', 60, 1, 3_600),
    drainCapSeconds: integerVar(env, 'DRAIN_CAP_SECONDS', 300, 1, 86_400),
    batchSizes: integerListVar(env, 'BATCH_SIZES', [100, 500, 1_000, 5_000], 100_000),
    concurrencies: integerListVar(env, 'CONCURRENCIES', [1, 2, 4], 64),
    appBatchSize: 500,
    appConcurrency: telemetryConfigFromEnv({}).concurrency,
    scaleProcesses: integerListVar(env, 'SCALE_PROCESSES', [1, 2, 3], 12),
    steadyRate: integerVar(env, 'STEADY_RATE', Math.round(devices / 60), 1, 10_000_000),
    steadyMultipliers: integerListVar(env, 'STEADY_MULTIPLIERS', [1, 5, 10], 1_000),
    steadySeconds: integerVar(env, 'STEADY_SECONDS', 180, 1, 86_400),
    steadyWarmupSeconds: integerVar(env, 'STEADY_WARMUP_SECONDS', 15, 0, 3_600),
    naiveSteadySeconds: integerVar(env, 'NAIVE_STEADY_SECONDS', 60, 0, 86_400),
    searchSteps: integerVar(env, 'SEARCH_STEPS', 3, 0, 20),
    searchSeconds: integerVar(env, 'SEARCH_SECONDS', 60, 1, 86_400),
    sampleMs: integerVar(env, 'SAMPLE_MS', 1_000, 50, 60_000),
    flushMs: 250,
    consumerNodeArgs: (env.CONSUMER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
  };
}

function integerListVar(env: NodeJS.ProcessEnv, name: string, fallback: number[], max: number): number[] {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const values = raw.split(',').map(Number);
  if (values.some((value) => !Number.isInteger(value) || value < 1 || value > max)) {
    throw new ConfigError(`${name} must be a comma-separated list of integers in 1..${max} (got "${raw}")`);
  }
  return values;
}
