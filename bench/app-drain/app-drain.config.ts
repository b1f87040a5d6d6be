import { integerVar } from '@org/telemetry/config/env.parsers';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The variables `pnpm bench:app` reads, in the order the report's command lists them. */
export const APP_DRAIN_VARIABLES = [
  'DRAIN_RECORDS',
  'ROUNDS',
  'BASELINE_REF',
  'BASELINE_DIST',
  'BASELINE_CACHE_DIR',
  'DEVICES',
  'SAMPLE_MS',
  'APP_NODE_ARGS',
  'BENCH_RESULTS_DIR',
] as const;

export interface AppDrainConfig {
  /** Readings in the backlog every run drains. */
  drainRecords: number;
  /** Each round drains the backlog once with the baseline and once with the candidate. */
  rounds: number;
  partitions: number;
  devices: number;
  /** The commit the baseline is built from (any git revision). */
  baselineRef: string;
  /** A folder holding an already built app's main.js, used as the baseline instead of building one. */
  baselineDist: string | undefined;
  /** Where baselines are built and kept, one folder per commit. */
  baselineCacheDir: string;
  /** How often the group's lag and the app's CPU and memory are sampled. */
  sampleMs: number;
  /** Node flags of both apps (e.g. `--cpu-prof`, which NODE_OPTIONS refuses). */
  appNodeArgs: string[];
}

export function appDrainConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AppDrainConfig {
  return {
    drainRecords: integerVar(env, 'DRAIN_RECORDS', 1_000_000, 1, 100_000_000),
    rounds: integerVar(env, 'ROUNDS', 3, 1, 100),
    partitions: 12,
    // The simulator's own default fleet.
    devices: integerVar(env, 'DEVICES', 500_000, 1, 10_000_000),
    baselineRef: env.BASELINE_REF || '6950772',
    baselineDist: env.BASELINE_DIST ? resolve(env.BASELINE_DIST) : undefined,
    baselineCacheDir: resolve(env.BASELINE_CACHE_DIR || join(tmpdir(), 'kafka-batch-bench-baselines')),
    sampleMs: integerVar(env, 'SAMPLE_MS', 250, 50, 10_000),
    appNodeArgs: (env.APP_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
  };
}

/** The command that reproduces a run: the variables it was given, then the script. */
export function commandLine(env: NodeJS.ProcessEnv = process.env): string {
  const quote = (value: string) =>
    /^[\w./:,=@-]*$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
  const assignments = APP_DRAIN_VARIABLES.filter((name) => env[name]).map(
    (name) => `${name}=${quote(env[name]!)}`,
  );
  const script =
    env.npm_lifecycle_event === 'bench:app' ? 'pnpm bench:app' : 'node bench/dist/app-drain.bench.js';
  return [...assignments, script].join(' ');
}
