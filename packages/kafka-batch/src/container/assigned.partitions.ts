import { partitionKey, TopicPartition } from '../common/topic-partition';
import type { RawRecord } from '../interfaces/raw-record.interface';
import type { ConsumerClient } from '../client/consumer.client';
import { PartitionState, PauseReason } from './partition.state';

export interface BufferedAmount {
  records: number;
  bytes: number;
}

/**
 * The partitions a listener holds: their states, their buffers of fetched records, and their
 * pauses. A partition is paused in the client while it has at least one reason to be.
 */
export class AssignedPartitions {
  private readonly states = new Map<string, PartitionState>();
  /** Reasons of pauseAll() that hold until resumeAll(): partitions assigned meanwhile are paused too. */
  private readonly pausedEverywhere = new Set<PauseReason>();

  constructor(private readonly consumer: Pick<ConsumerClient, 'pause' | 'resume'>) {}

  get size(): number {
    return this.states.size;
  }

  values(): IterableIterator<PartitionState> {
    return this.states.values();
  }

  assignment(): TopicPartition[] {
    return [...this.states.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  paused(): { topic: string; partition: number; reasons: PauseReason[] }[] {
    return [...this.states.values()]
      .filter((s) => s.pausedFor.size > 0)
      .map((s) => ({ topic: s.topic, partition: s.partition, reasons: [...s.pausedFor] }));
  }

  get(topic: string, partition: number): PartitionState | undefined {
    return this.states.get(partitionKey(topic, partition));
  }

  /** Still assigned here: a revoked partition may come back as a new state. */
  holds(state: PartitionState): boolean {
    return this.states.get(partitionKey(state.topic, state.partition)) === state;
  }

  /** New partitions, paused for every reason paused everywhere (see pauseAssigned). */
  add(partitions: readonly TopicPartition[], stopped: AbortSignal): PartitionState[] {
    return partitions.map(({ topic, partition }) => {
      const state = new PartitionState(topic, partition, stopped);
      for (const reason of this.pausedEverywhere) state.pausedFor.add(reason);
      this.states.set(partitionKey(topic, partition), state);
      return state;
    });
  }

  /** Pauses new partitions in the client, once it has assigned them. */
  pauseAssigned(states: readonly PartitionState[]): void {
    const paused = states.filter((s) => s.pausedFor.size > 0);
    if (paused.length > 0) this.consumer.pause(paused);
  }

  remove(states: readonly PartitionState[]): void {
    for (const state of states)
      if (this.holds(state)) this.states.delete(partitionKey(state.topic, state.partition));
  }

  /** Forgets every partition: the consumer has left the group. */
  clear(): void {
    for (const state of this.states.values()) state.revoke();
    this.states.clear();
  }

  /**
   * Buffers fetched records. Stale ones are dropped: of a partition revoked or being repositioned, or
   * at or below an offset already delivered (fetched before a rewind). Returns what was buffered.
   */
  buffer(records: readonly RawRecord[]): BufferedAmount {
    const buffered = { records: 0, bytes: 0 };
    let state: PartitionState | undefined;
    for (const record of records) {
      // A fetch returns runs of one partition: look the state up when the partition changes.
      if (state?.partition !== record.partition || state.topic !== record.topic)
        state = this.states.get(partitionKey(record.topic, record.partition));
      if (!state || state.revoking || state.seeking > 0 || !state.tracker.track(record.offset)) continue;
      state.append(record);
      buffered.records++;
      buffered.bytes += record.size;
    }
    return buffered;
  }

  /** Partitions a batch may take records from, in assignment order. */
  dispatchable(): PartitionState[] {
    const ready: PartitionState[] = [];
    for (const state of this.states.values()) if (state.dispatchable) ready.push(state);
    return ready;
  }

  pause(state: PartitionState, reason: PauseReason): void {
    if (this.addReason(state, reason)) this.consumer.pause([state]);
  }

  resume(state: PartitionState, reason: PauseReason): void {
    if (this.removeReason(state, reason)) this.consumer.resume([state]);
  }

  /** Pauses every partition, and those assigned until resumeAll(reason). */
  pauseAll(reason: PauseReason): void {
    this.pausedEverywhere.add(reason);
    const paused = [...this.states.values()].filter((state) => this.addReason(state, reason));
    if (paused.length > 0) this.consumer.pause(paused);
  }

  resumeAll(reason: PauseReason): void {
    this.pausedEverywhere.delete(reason);
    const resumed = [...this.states.values()].filter((state) => this.removeReason(state, reason));
    if (resumed.length > 0) this.consumer.resume(resumed);
  }

  isPausedEverywhere(reason: PauseReason): boolean {
    return this.pausedEverywhere.has(reason);
  }

  /** True when the partition just became paused in the client. */
  private addReason(state: PartitionState, reason: PauseReason): boolean {
    // A revoking partition was resumed for its unassign (see releaseForUnassign): it stays so.
    if (state.pausedFor.has(reason) || state.revoking) return false;
    state.pausedFor.add(reason);
    return state.pausedFor.size === 1;
  }

  /** True when the partition just became free to fetch. */
  private removeReason(state: PartitionState, reason: PauseReason): boolean {
    return state.pausedFor.delete(reason) && state.pausedFor.size === 0 && !state.revoking;
  }

  /**
   * librdkafka keeps a partition's pause through an unassign: were it assigned here again, it would
   * never be fetched. Resumed while still assigned; what it fetches meanwhile is dropped as stale.
   */
  releaseForUnassign(states: readonly PartitionState[]): void {
    const paused = states.filter((s) => s.pausedFor.size > 0);
    if (paused.length === 0) return;
    for (const state of paused) state.pausedFor.clear();
    this.consumer.resume(paused);
  }
}
