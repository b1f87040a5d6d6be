import { KafkaAdmin } from '@org/testing';
import { BenchDatabase } from './bench.database';
import { CopyCeiling, measureCopyCeiling } from './copy.ceiling';
import { Backlog, DrainResult, runDrain } from './drain.scenario';
import type { E2eConfig } from './e2e.config';
import { createReadingsTopic, produceBacklog } from './load.producer';
import { nextRateToTry } from './rate.search';
import type { ScenarioContext } from './scenario.context';
import { runSteady, SteadyResult } from './steady.scenario';
import {
  bareLoop,
  batchListener,
  naiveBuffered,
  naiveOnKafkaBatchTransport,
  naivePerMessage,
  Variant,
} from './variant';

export interface E2eResults {
  startedAt: Date;
  config: E2eConfig;
  postgres: string;
  backlog: { records: number; producedPerSecond: number };
  drains: DrainResult[];
  /** The drains of one listener setup by 1, 2, 3… processes. */
  scale: DrainResult[];
  copy: CopyCeiling | undefined;
  steady: SteadyResult[];
  /** Why the run stopped before its end: the figures are those of the phases that finished. */
  failure?: string;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Every scenario, one after the other, on one broker and one database. A phase that fails ends
 * the run, and what the phases before it measured is still returned: a long run keeps its figures.
 */
export async function runE2e(config: E2eConfig): Promise<E2eResults> {
  const admin = new KafkaAdmin();
  const database = await BenchDatabase.create();
  const context: ScenarioContext = { admin, database, config };
  const results: E2eResults = {
    startedAt: new Date(),
    config,
    postgres: await database.serverVersion(),
    backlog: { records: 0, producedPerSecond: 0 },
    drains: [],
    scale: [],
    copy: undefined,
    steady: [],
  };
  try {
    await runDrains(context, results);
    await runSteadyPhases(context, results.steady);
  } catch (err) {
    results.failure = (err as Error).stack ?? String(err);
  } finally {
    admin.close();
    await database.drop();
  }
  return results;
}

async function runDrains(context: ScenarioContext, results: E2eResults): Promise<void> {
  const { admin, config } = context;
  const topic = await createReadingsTopic(admin, 'drain', config.partitions, config.devices);
  console.log(`producing a backlog of ${fmt(config.drainRecords)} readings…`);
  const produced = await produceBacklog(topic, config.drainRecords);
  const backlog: Backlog = { ...topic, records: produced.delivered };
  results.backlog = { records: backlog.records, producedPerSecond: produced.rate };
  const { drains } = results;
  const drain = async (variant: Variant, timeCapSeconds?: number) => {
    const result = await runDrain(context, backlog, variant, timeCapSeconds);
    console.log(
      `drain ${variant.key}: ${fmt(result.records)} records, ${fmt(result.recordsPerSecond)}/s, ` +
        `lag zero after ${result.secondsToLagZero.toFixed(1)} s${result.complete ? '' : ' (estimated)'}`,
    );
    drains.push(result);
    return result;
  };
  try {
    await drain(bareLoop());
    await drain(naivePerMessage(), config.naiveSeconds);
    await drain(naiveOnKafkaBatchTransport(), config.naiveSeconds);
    await drain(naiveBuffered(config.appBatchSize, config.flushMs), config.naiveSeconds);
    for (const batchSize of config.batchSizes) {
      for (const concurrency of config.concurrencies) {
        const result = await drain(batchListener(batchSize, concurrency), config.drainCapSeconds);
        // The first complete drain left every row in the tables: they are the ceiling's rows.
        if (result.complete) results.copy ??= await measureCopyCeiling(context.database, backlog.records);
      }
    }
    for (const processes of config.scaleProcesses) {
      const variant = batchListener(config.appBatchSize, config.appConcurrency, processes);
      const measured = drains.find((result) => result.variant.key === variant.key);
      results.scale.push(measured ?? (await drain(variant, config.drainCapSeconds)));
    }
  } finally {
    await admin.deleteTopic(topic.name);
  }
}

async function runSteadyPhases(context: ScenarioContext, results: SteadyResult[]): Promise<void> {
  const { config } = context;
  const listener = batchListener(config.appBatchSize, config.appConcurrency);
  const phase = async (variant: Variant, rate: number, seconds: number) => {
    const result = await runSteady(context, variant, rate, seconds);
    console.log(
      `steady ${variant.key} at ${fmt(rate)}/s: produced ${fmt(result.producedRate)}/s, ` +
        `max lag ${fmt(result.maxPartitionLag)} per partition (warm-up ${fmt(result.warmupMaxPartitionLag)}), ` +
        `p99 ${fmt(result.p99Ms ?? NaN)} ms, ` +
        `${result.held ? 'held' : 'not held'}`,
    );
    results.push(result);
  };
  for (const multiplier of config.steadyMultipliers) {
    await phase(listener, config.steadyRate * multiplier, config.steadySeconds);
  }
  if (config.naiveSteadySeconds > 0) {
    for (const variant of [naivePerMessage(), naiveBuffered(config.appBatchSize, config.flushMs)]) {
      await phase(variant, config.steadyRate, config.naiveSteadySeconds);
    }
  }
  for (let step = 0; step < config.searchSteps; step++) {
    const tried = results
      .filter((result) => result.variant.key === listener.key)
      .map((result) => ({ rate: result.targetRate, held: result.held }));
    const rate = nextRateToTry(tried);
    if (rate === undefined) break;
    await phase(listener, rate, config.searchSeconds);
  }
}
