import { ConsumerGroupRun } from './consumer-group.run';
import { waitForAssignment } from './group-assignment.waiter';
import { LagSampler } from './lag.sampler';
import { createReadingsTopic, produceSteadily } from './load.producer';
import { ScenarioContext, sleep } from './scenario.context';
import { ratePerSecond, Series } from './series';
import type { Variant } from './variant';

export interface SteadyResult {
  variant: Variant;
  targetRate: number;
  seconds: number;
  producedRate: number;
  /** The most one partition was behind while the load ran, after the warm-up. */
  maxPartitionLag: number;
  /** When that was, in seconds into the measured window. */
  maxPartitionLagAt: number | undefined;
  /** The most one partition was behind during the warm-up. */
  warmupMaxPartitionLag: number;
  /** One batch of the app's listener per partition: the most a consumer that keeps up is behind. */
  bound: number;
  /** Whether the group was back at zero lag soon after the load stopped. */
  caughtUp: boolean;
  /** The rate was produced, the lag stayed within the bound, and the group caught up. */
  held: boolean;
  p50Ms: number | undefined;
  p99Ms: number | undefined;
  cores: number | undefined;
  peakRssBytes: number | undefined;
  lag: Series;
  /** The lag of the partition furthest behind. */
  partitionLag: Series;
  throughput: Series;
}

/** A producer this far under the target did not offer the rate: the phase proves nothing about it. */
const PRODUCED_SHARE = 0.95;

/**
 * Live load at a fixed rate on a fresh topic, the variant's consumers joined before it starts:
 * lag over time, the largest lag of a partition, end-to-end latency, CPU and memory. The first
 * `steadyWarmupSeconds` of the load are the consumers' warm-up: only their lag is kept.
 */
export async function runSteady(
  context: ScenarioContext,
  variant: Variant,
  targetRate: number,
  seconds: number,
): Promise<SteadyResult> {
  const { admin, database, config } = context;
  await database.empty();
  const topic = await createReadingsTopic(admin, `steady_${variant.key}`, config.partitions, config.devices);
  const run = new ConsumerGroupRun(variant, topic.name, database, config);
  let lag: LagSampler | undefined;
  try {
    await run.ready();
    await waitForAssignment(run.groupId, config.partitions);
    lag = new LagSampler(admin, run.groupId, topic.name, config.sampleMs);
    const warmupStart = Date.now();
    const loadStart = warmupStart + config.steadyWarmupSeconds * 1000;
    const produced = await produceSteadily(topic, targetRate, config.steadyWarmupSeconds + seconds);
    const loadEnd = Date.now();
    // A consumer that kept up is back at zero within a few samples; one that did not is not waited for.
    const tailMs = Math.min(Math.max(5, seconds / 2), 60) * 1000;
    while (Date.now() - loadEnd < tailMs && !(lag.latest?.total === 0 && run.handled >= produced.delivered)) {
      await sleep(config.sampleMs / 4);
    }
    const end = Date.now();
    await lag.stop();
    const caughtUp = lag.zeroSince(loadEnd) !== undefined && run.handled >= produced.delivered;
    const peak = lag.peakPartitionBetween(loadStart, loadEnd);
    const latency = run.latencyBetween(loadStart, end);
    return {
      variant,
      targetRate,
      seconds,
      producedRate: produced.rate,
      maxPartitionLag: peak?.maxPartition ?? 0,
      maxPartitionLagAt: peak && (peak.at - loadStart) / 1000,
      warmupMaxPartitionLag: lag.peakPartitionBetween(warmupStart, loadStart)?.maxPartition ?? 0,
      bound: config.appBatchSize,
      caughtUp,
      held:
        caughtUp &&
        (peak?.maxPartition ?? 0) <= config.appBatchSize &&
        produced.rate >= PRODUCED_SHARE * targetRate,
      p50Ms: latency.percentile(50),
      p99Ms: latency.percentile(99),
      cores: run.coresBetween(loadStart, loadEnd),
      peakRssBytes: run.peakRssBetween(loadStart, end),
      lag: lag.totalSeries(loadStart).filter((point) => point.x >= 0),
      partitionLag: lag.maxPartitionSeries(loadStart).filter((point) => point.x >= 0),
      throughput: ratePerSecond(run.progress, loadStart).filter((point) => point.x >= 0),
    };
  } finally {
    await lag?.stop();
    await run.stop();
    await admin.deleteTopic(topic.name);
  }
}
