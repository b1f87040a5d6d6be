import { KafkaAdmin, uniqueName } from '@org/testing';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { produceBacklog } from '../e2e/load.producer';
import { machineDescription } from '../report';
import type { AppDrainConfig } from './app-drain.config';
import { AppDrainRun, Backlog, runAppDrain } from './app-drain.run';
import { AppDrainSummary, summarize } from './app-drain.summary';
import { AppBuild, baselineBuild, BuildRole, candidateBuild } from './app.build';
import { RunDatabase } from './run.database';

export interface Machine {
  description: string;
  /** CPUs this process may run on, as `nproc` counts them. */
  nproc: number;
  cpuModel: string;
  /** 1, 5 and 15-minute load averages when the benchmark started, and again before the first run. */
  loadAverageAtStart: number[];
  loadAverageBeforeRuns: number[] | undefined;
  postgres: string | undefined;
}

export interface AppDrainResults {
  startedAt: string;
  command: string;
  config: AppDrainConfig;
  machine: Machine;
  builds: Partial<Record<BuildRole, AppBuild>>;
  backlog: Backlog | undefined;
  runs: AppDrainRun[];
  summary: AppDrainSummary | undefined;
  /** Why the benchmark stopped before its end: the figures are those of the runs that finished. */
  failure?: string;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Builds or reuses the baseline, produces the backlog once, then drains it with the baseline and
 * the candidate in turn, ROUNDS times each; which goes first alternates from round to round.
 */
export async function runAppDrainBench(config: AppDrainConfig, command: string): Promise<AppDrainResults> {
  const results: AppDrainResults = {
    startedAt: new Date().toISOString(),
    command,
    config,
    machine: {
      description: machineDescription(),
      nproc: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadAverageAtStart: loadavg(),
      loadAverageBeforeRuns: undefined,
      postgres: undefined,
    },
    builds: {},
    backlog: undefined,
    runs: [],
    summary: undefined,
  };
  const admin = new KafkaAdmin();
  try {
    const candidate = (results.builds.candidate = await candidateBuild());
    if (!existsSync(candidate.mainJs)) {
      throw new Error(`no candidate build at ${candidate.mainJs}: run \`pnpm bench:build\` first`);
    }
    const baseline = (results.builds.baseline = await baselineBuild(config));
    if (!existsSync(baseline.mainJs)) throw new Error(`no baseline build at ${baseline.mainJs}`);
    results.machine.postgres = await RunDatabase.serverVersion();
    const backlog = (results.backlog = await produceAppBacklog(admin, config));
    try {
      results.machine.loadAverageBeforeRuns = loadavg();
      await runRounds(admin, { baseline, candidate }, backlog, config, results.runs);
    } finally {
      await admin.deleteTopic(backlog.topic);
    }
  } catch (err) {
    results.failure = (err as Error).stack ?? String(err);
  } finally {
    admin.close();
    results.summary = summarize(results.runs);
  }
  return results;
}

/**
 * The app's simulator in backlog mode (every reading valid and distinct, so rows stored must equal
 * records produced) into a new topic. The topic keeps the broker's default `compression.type`
 * (producer): its batches stay LZ4 as the simulator sends them, which the app decompresses as in
 * production.
 */
async function produceAppBacklog(admin: KafkaAdmin, config: AppDrainConfig): Promise<Backlog> {
  const topic = uniqueName('app_drain');
  await admin.createTopic(topic, config.partitions);
  console.log(
    `producing a backlog of ${fmt(config.drainRecords)} readings on ${config.partitions} partitions…`,
  );
  const produced = await produceBacklog(
    { name: topic, partitions: config.partitions, devices: config.devices },
    config.drainRecords,
  );
  console.log(`produced ${fmt(produced.delivered)} readings at ${fmt(produced.rate)}/s`);
  return {
    topic,
    partitions: config.partitions,
    records: produced.delivered,
    producedPerSecond: produced.rate,
  };
}

async function runRounds(
  admin: KafkaAdmin,
  builds: Record<BuildRole, AppBuild>,
  backlog: Backlog,
  config: AppDrainConfig,
  runs: AppDrainRun[],
): Promise<void> {
  for (let round = 1; round <= config.rounds; round++) {
    const order: BuildRole[] = round % 2 === 1 ? ['baseline', 'candidate'] : ['candidate', 'baseline'];
    for (const [index, role] of order.entries()) {
      const run = await runAppDrain(admin, builds[role], backlog, config, { round, order: index + 1 });
      runs.push(run);
      console.log(
        `round ${round}, ${role}: ${fmt(run.readingsPerSecond)} readings/s, ` +
          `${run.cpuSecondsPerMillionReadings.toFixed(1)} CPU-s per 1M, peak RSS ${fmt(run.peakRssBytes / 2 ** 20)} MB, ` +
          `lag zero after ${run.secondsToLagZero.toFixed(1)} s, ${fmt(run.rows)} rows`,
      );
    }
  }
}
