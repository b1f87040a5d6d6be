import { KafkaAdmin, uniqueName } from '@org/testing';
import { LagSampler } from '../e2e/lag.sampler';
import type { UsageSample } from '../e2e/process.usage';
import { sleep } from '../e2e/scenario.context';
import type { AppDrainConfig } from './app-drain.config';
import { AppBuild, BuildRole, codeFingerprint } from './app.build';
import { AppExit, TelemetryAppProcess } from './app.process';
import { RunDatabase } from './run.database';

/** The readings every run drains, produced once. */
export interface Backlog {
  topic: string;
  partitions: number;
  records: number;
  producedPerSecond: number;
}

/** One drain of the backlog by one build, measured on its process. */
export interface AppDrainRun {
  round: number;
  role: BuildRole;
  /** 1 if this build went first in its round. */
  order: number;
  /** Hash of the compiled code the process ran (see codeFingerprint). */
  code: string;
  records: number;
  /** Rows in telemetry_readings after the run: must equal `records`. */
  rows: number;
  /** From process start to the first reading in the database (start-up, migrations, group join). */
  secondsToFirstStored: number;
  /** From process start to the group's lag at zero on the broker. */
  secondsToLagZero: number;
  /** From the first reading stored to lag zero. */
  drainSeconds: number;
  /** Records over the drain window. */
  readingsPerSecond: number;
  /** CPU time of the whole process (every thread, user + system) from its start to lag zero. */
  cpuSeconds: number;
  /** The part of `cpuSeconds` spent before the first reading was stored. */
  startupCpuSeconds: number;
  cpuSecondsPerMillionReadings: number;
  /** The same without start-up: CPU from the first reading stored to lag zero, per 1M readings. */
  drainCpuSecondsPerMillionReadings: number;
  /** The most resident memory the process had, start-up included (VmHWM). */
  peakRssBytes: number;
  exit: AppExit;
}

export interface RunPlace {
  round: number;
  order: number;
}

/** How often the harness looks for the first stored reading and for lag zero. */
const PROBE_MS = 50;
/** Generous: a build slower than this is broken, not slow. */
const MIN_READINGS_PER_SECOND = 500;

/**
 * Drains the backlog once with a build: a new database, a new consumer group, the app started
 * with its default settings, and SIGTERM once the broker shows no lag.
 */
export async function runAppDrain(
  admin: KafkaAdmin,
  build: AppBuild,
  backlog: Backlog,
  config: AppDrainConfig,
  place: RunPlace,
): Promise<AppDrainRun> {
  const database = await RunDatabase.create();
  try {
    const code = codeFingerprint(build);
    const groupId = uniqueName(`app_drain_${build.role}`);
    const lag = new LagSampler(admin, groupId, backlog.topic, config.sampleMs);
    const app = new TelemetryAppProcess(
      build,
      { topic: backlog.topic, groupId, databaseUrl: database.url },
      config.appNodeArgs,
    );
    let measured: Omit<AppDrainRun, 'rows' | 'exit'>;
    let exit: AppExit;
    try {
      const { firstStored, lagZeroAt, atLagZero } = await waitForDrain(
        app,
        database,
        lag,
        backlog,
        build.role,
      );
      const drainSeconds = Math.max((lagZeroAt - firstStored.at) / 1000, 1e-3);
      measured = {
        ...place,
        role: build.role,
        code,
        records: backlog.records,
        secondsToFirstStored: (firstStored.at - app.startedAt) / 1000,
        secondsToLagZero: (lagZeroAt - app.startedAt) / 1000,
        drainSeconds,
        readingsPerSecond: backlog.records / drainSeconds,
        cpuSeconds: atLagZero.cpuSeconds,
        startupCpuSeconds: firstStored.cpuSeconds,
        cpuSecondsPerMillionReadings: (atLagZero.cpuSeconds / backlog.records) * 1e6,
        drainCpuSecondsPerMillionReadings:
          ((atLagZero.cpuSeconds - firstStored.cpuSeconds) / backlog.records) * 1e6,
        peakRssBytes: app.peakRssBytes() ?? atLagZero.rssBytes,
      };
    } finally {
      await lag.stop();
      exit = await app.stop();
    }
    return { ...measured, rows: await database.readingRows(), exit };
  } finally {
    await database.drop();
  }
}

interface DrainMoments {
  /** The app's CPU and memory when its first reading was seen in the database. */
  firstStored: UsageSample;
  /** The broker's lag sample that first showed zero. */
  lagZeroAt: number;
  atLagZero: UsageSample;
}

async function waitForDrain(
  app: TelemetryAppProcess,
  database: RunDatabase,
  lag: LagSampler,
  backlog: Backlog,
  role: BuildRole,
): Promise<DrainMoments> {
  const limitSeconds = 60 + backlog.records / MIN_READINGS_PER_SECOND;
  const deadline = app.startedAt + limitSeconds * 1000;
  let firstStored: UsageSample | undefined;
  for (;;) {
    if (!app.running) throw new Error(`the ${role} app exited during the drain:\n${app.outputTail}`);
    if (Date.now() > deadline) {
      throw new Error(`the ${role} app did not drain ${backlog.records} readings in ${limitSeconds} s`);
    }
    await sleep(PROBE_MS);
    if (firstStored === undefined) {
      if (await database.hasReadings()) firstStored = app.usage();
      continue;
    }
    // A small backlog can reach lag zero before the probe above saw its first row.
    const lagZeroAt = lag.zeroSince(app.startedAt);
    if (lagZeroAt === undefined) continue;
    const atLagZero = app.usage();
    if (atLagZero) return { firstStored, lagZeroAt, atLagZero };
  }
}
