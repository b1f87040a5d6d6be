import { partitionKey } from '../common/topic-partition';
import { EndOffsetHistory } from './end-offset.history';
import type { GroupOffsetsSampler, PartitionOffsets } from './group-offsets.sampler';
import type { ListenerLag, PartitionLag } from './lag.interfaces';
import { worstStatus } from './lag-status';
import { evaluatePartitionStatus, OffsetSample } from './partition-status.evaluator';

/** What the tracker needs to know about the listener it watches. */
export interface ListenerView {
  id: string;
  groupId: string;
  /** Where a group without a committed offset starts: the log start, or the end. */
  startsFromLogStart: boolean;
  /** The partition is assigned here and the poll loop is alive. */
  isConsuming(topic: string, partition: number): boolean;
  isAssigned(topic: string, partition: number): boolean;
}

interface PartitionHistory {
  endOffsets: EndOffsetHistory;
  window: OffsetSample[];
}

const END_OFFSET_HISTORY_SIZE = 64;

/**
 * Turns a listener's successive offset samples into lag in records and seconds, consume rate and
 * Burrow status per partition, and keeps the latest snapshot.
 */
export class ListenerLagTracker {
  private readonly history = new Map<string, PartitionHistory>();
  private latest: ListenerLag;

  constructor(
    private readonly listener: ListenerView,
    private readonly sampler: GroupOffsetsSampler,
    private readonly windowSize: number,
  ) {
    this.latest = {
      listenerId: listener.id,
      groupId: listener.groupId,
      sampledAt: undefined,
      error: undefined,
      totalLag: 0,
      maxLagSeconds: 0,
      consumeRate: 0,
      status: 'OK',
      partitions: [],
    };
  }

  get snapshot(): ListenerLag {
    return this.latest;
  }

  async sample(now = Date.now()): Promise<void> {
    let offsets: PartitionOffsets[];
    try {
      offsets = await this.sampler.sample(now);
    } catch (err) {
      this.latest = { ...this.latest, error: (err as Error).message };
      return;
    }
    const partitions = offsets.map((o) => this.update(o, now));
    const held = partitions.filter((p) => p.assigned);
    this.latest = {
      ...this.latest,
      sampledAt: now,
      error: undefined,
      totalLag: held.reduce((sum, p) => sum + p.lag, 0),
      maxLagSeconds: Math.max(0, ...held.map((p) => p.lagSeconds ?? 0)),
      consumeRate: held.reduce((sum, p) => sum + p.consumeRate, 0),
      status: worstStatus(held.flatMap((p) => (p.status ? [p.status] : []))),
      partitions,
    };
  }

  private update(
    { topic, partition, committed, end, logStart }: PartitionOffsets,
    now: number,
  ): PartitionLag {
    const key = partitionKey(topic, partition);
    let history = this.history.get(key);
    if (!history) {
      history = { endOffsets: new EndOffsetHistory(END_OFFSET_HISTORY_SIZE), window: [] };
      this.history.set(key, history);
    }
    const position = Math.min(
      end,
      Math.max(committed ?? (this.listener.startsFromLogStart ? logStart : end), logStart),
    );
    const lag = end - position;
    history.endOffsets.record(end, now);
    history.window.push({ offset: position, lag, at: now });
    if (history.window.length > this.windowSize) history.window.shift();
    const first = history.window[0];
    const elapsedSeconds = (now - first.at) / 1000;
    const assigned = this.listener.isAssigned(topic, partition);
    const lagMs = history.endOffsets.timeLagMs(position, now);
    return {
      topic,
      partition,
      committedOffset: committed,
      endOffset: end,
      logStartOffset: logStart,
      lag,
      lagSeconds: lagMs === undefined ? undefined : lagMs / 1000,
      consumeRate: elapsedSeconds > 0 ? Math.max(0, (position - first.offset) / elapsedSeconds) : 0,
      status: assigned
        ? evaluatePartitionStatus(
            history.window,
            this.windowSize,
            this.listener.isConsuming(topic, partition),
          )
        : undefined,
      assigned,
    };
  }
}
