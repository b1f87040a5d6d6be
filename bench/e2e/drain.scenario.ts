import { ConsumerGroupRun } from './consumer-group.run';
import { LagSampler } from './lag.sampler';
import type { ReadingsTopic } from './load.producer';
import { ScenarioContext, sleep } from './scenario.context';
import { ratePerSecond, Series } from './series';
import type { Variant } from './variant';

export interface Backlog extends ReadingsTopic {
  records: number;
}

export interface DrainResult {
  variant: Variant;
  /** Records done: the whole backlog, or what a time-capped run did. */
  records: number;
  /** Rows in telemetry_readings afterwards. */
  rows: number;
  complete: boolean;
  /** From the first record done to the last: the drain speed without start-up. */
  recordsPerSecond: number;
  /** From process start to the group's lag at zero; for a capped run, start-up + backlog / speed. */
  secondsToLagZero: number;
  cores: number | undefined;
  peakRssBytes: number | undefined;
  lag: Series;
  throughput: Series;
}

/** Generous: a variant this slow is broken, not slow. */
const SECONDS_PER_RECORD_LIMIT = 1 / 500;

/**
 * Drains the backlog with a variant in a new group, from empty tables, until the broker shows no
 * lag and every record is done, or until `timeCapSeconds`: a run cut there is measured on what it
 * did (the naive baseline always is).
 */
export async function runDrain(
  context: ScenarioContext,
  backlog: Backlog,
  variant: Variant,
  timeCapSeconds?: number,
): Promise<DrainResult> {
  const { admin, database, config } = context;
  await database.empty();
  const run = new ConsumerGroupRun(variant, backlog.name, database, config);
  const lag = new LagSampler(admin, run.groupId, backlog.name, config.sampleMs);
  const limitMs = 1000 * (timeCapSeconds ?? 60 + backlog.records * SECONDS_PER_RECORD_LIMIT);
  let complete = false;
  let died = false;
  try {
    await run.ready();
    const deadline = Date.now() + limitMs;
    while (Date.now() < deadline && !complete && !died) {
      await sleep(config.sampleMs / 4);
      complete = lag.latest?.total === 0 && run.handled >= backlog.records;
      died = !run.running;
    }
  } finally {
    await lag.stop();
    await run.stop();
  }
  if (died) throw new Error(`a ${variant.key} process died during the drain`);
  if (!complete && timeCapSeconds === undefined) {
    throw new Error(`${variant.key} did not drain ${backlog.records} records in ${limitMs / 1000} s`);
  }
  const firstAt = run.firstAt ?? run.startedAt;
  const lastAt = run.lastAt ?? Date.now();
  const recordsPerSecond = run.handled / Math.max((lastAt - firstAt) / 1000, 1e-3);
  const zeroAt = lag.zeroSince(run.startedAt);
  return {
    variant,
    records: run.handled,
    rows: await database.readingRows(),
    complete,
    recordsPerSecond,
    secondsToLagZero:
      complete && zeroAt !== undefined
        ? (zeroAt - run.startedAt) / 1000
        : (firstAt - run.startedAt) / 1000 + backlog.records / recordsPerSecond,
    cores: run.coresBetween(firstAt, lastAt),
    peakRssBytes: run.peakRssBetween(run.startedAt, lastAt),
    lag: lag.totalSeries(run.startedAt),
    throughput: ratePerSecond(run.progress, run.startedAt),
  };
}
