import { KafkaAdmin } from '@org/testing';
import type { Series } from './series';

export interface LagSample {
  at: number;
  /** Records the group has not committed, over all partitions. */
  total: number;
  /** The most any one partition is behind. */
  maxPartition: number;
}

/**
 * The group's lag as the broker sees it (end offsets − committed offsets), sampled at a fixed
 * interval from the harness: no consumer under test reports its own lag.
 */
export class LagSampler {
  readonly samples: LagSample[] = [];
  private running = true;
  private readonly loop: Promise<void>;

  constructor(admin: KafkaAdmin, groupId: string, topic: string, intervalMs: number) {
    this.loop = (async () => {
      while (this.running) {
        const next = Date.now() + intervalMs;
        const { total, byPartition } = await admin.lag(groupId, topic);
        this.samples.push({ at: Date.now(), total, maxPartition: Math.max(0, ...byPartition.values()) });
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - Date.now())));
      }
    })();
  }

  get latest(): LagSample | undefined {
    return this.samples.at(-1);
  }

  /** When the lag was first seen at zero after `from`. */
  zeroSince(from: number): number | undefined {
    return this.samples.find((sample) => sample.at >= from && sample.total === 0)?.at;
  }

  /** Total lag over time, in seconds since `start`. */
  totalSeries(start: number): Series {
    return this.samples.map((sample) => ({ x: (sample.at - start) / 1000, y: sample.total }));
  }

  /** The lag of the partition furthest behind, over time, in seconds since `start`. */
  maxPartitionSeries(start: number): Series {
    return this.samples.map((sample) => ({ x: (sample.at - start) / 1000, y: sample.maxPartition }));
  }

  /** The sample in which one partition was furthest behind. */
  peakPartitionBetween(from: number, to: number): LagSample | undefined {
    return this.samples
      .filter((sample) => sample.at >= from && sample.at <= to)
      .reduce<LagSample | undefined>(
        (peak, s) => (!peak || s.maxPartition > peak.maxPartition ? s : peak),
        undefined,
      );
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }
}
