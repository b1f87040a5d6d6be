import type { CommitAnswer, ConsumerClient, ConsumerEvents } from '../../../src/client/consumer.client';
import { partitionKey, TopicPartition, TopicPartitionOffset } from '../../../src/common/topic-partition';
import type { RawRecord } from '../../../src/interfaces/raw-record.interface';
import type { Clock } from '../../../src/common/clock';

const CONSUME_TIMEOUT_MS = 200;

const at = ({ topic, partition }: TopicPartition) => `${topic}[${partition}]`;

/**
 * A consumer that behaves as the container needs librdkafka to: a log per partition, a fetch
 * position per assigned partition that only seek() moves back, pauses, rebalance callbacks the test
 * triggers, and commit answers sent at once or when the test says. `calls` records what the
 * container asked for, in order.
 */
export class FakeConsumer implements ConsumerClient {
  readonly calls: string[] = [];
  /** Committed offsets the group has, as the broker would answer them. */
  readonly committedOffsets = new Map<string, number>();
  /** Commit requests waiting for an answer when answers are manual. */
  readonly unanswered: TopicPartitionOffset[][] = [];
  answerCommits: 'at-once' | 'manual' = 'at-once';
  /** Thrown by the next connect() or consume(), once. */
  failNextConnect: Error | undefined;
  failNextConsume: Error | undefined;
  /** Records the next consume() returns first, whatever the positions (a fetch from before a seek). */
  stale: RawRecord[] = [];
  consumeCalls = 0;
  /** Holds connect() until the test releases it. */
  connectGate: Promise<void> | undefined;
  private events!: ConsumerEvents;
  private readonly logs = new Map<string, RawRecord[]>();
  private readonly positions = new Map<string, number>();
  private readonly paused = new Set<string>();
  private turn = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly clock: Clock) {}

  /** The factory the container is given. */
  readonly create = (events: ConsumerEvents): ConsumerClient => {
    this.events = events;
    return this;
  };

  // ---- what the test does ----

  produce(
    topic: string,
    partition: number,
    values: unknown[],
    options: { timestamp?: number; key?: Buffer; headers?: RawRecord['headers'] } = {},
  ): void {
    const log = this.logOf(topic, partition);
    for (const value of values) {
      const bytes = Buffer.isBuffer(value) ? value : Buffer.from(JSON.stringify(value));
      log.push({
        topic,
        partition,
        offset: log.length,
        value: bytes,
        size: bytes.length,
        key: options.key ?? null,
        headers: options.headers,
        timestamp: options.timestamp ?? this.clock.now(),
      });
    }
    this.wake?.();
  }

  assignPartitions(...partitions: TopicPartition[]): void {
    this.events.rebalanced({ kind: 'assign', partitions });
  }

  revokePartitions(partitions: TopicPartition[], { lost = false } = {}): void {
    this.events.rebalanced({ kind: 'revoke', partitions, lost });
  }

  fatal(reason: string): void {
    this.events.failed(reason);
  }

  answer(answer: Partial<CommitAnswer> = {}): void {
    const offsets = this.unanswered.shift();
    if (!offsets) throw new Error('no commit waits for an answer');
    this.reply(offsets, { error: answer.error, rejected: answer.rejected ?? new Set() });
  }

  committed(partitions: readonly TopicPartition[]): Promise<TopicPartitionOffset[]> {
    return Promise.resolve(
      partitions.map((p) => ({
        ...p,
        offset: this.committedOffsets.get(partitionKey(p.topic, p.partition)) ?? -1001,
      })),
    );
  }

  /** The records of a partition's log, to hand out as stale ones. */
  records(topic: string, partition: number, from: number, to: number): RawRecord[] {
    return this.logOf(topic, partition).slice(from, to);
  }

  committedAt(topic: string, partition: number): number | undefined {
    return this.committedOffsets.get(partitionKey(topic, partition));
  }

  isPaused(topic: string, partition: number): boolean {
    return this.paused.has(partitionKey(topic, partition));
  }

  // ---- ConsumerClient ----

  async connect(): Promise<void> {
    this.calls.push('connect');
    await this.connectGate;
    const failure = this.failNextConnect;
    this.failNextConnect = undefined;
    if (failure) throw failure;
  }

  subscribe(subscription: readonly string[] | RegExp): void {
    this.calls.push(`subscribe ${String(subscription)}`);
  }

  consume(max: number): Promise<RawRecord[]> {
    this.consumeCalls++;
    const failure = this.failNextConsume;
    this.failNextConsume = undefined;
    if (failure) return Promise.reject(failure);
    const ready = this.take(max);
    if (ready.length > 0) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const done = () => {
        cancel();
        this.wake = undefined;
        resolve(this.take(max));
      };
      const cancel = this.clock.schedule(CONSUME_TIMEOUT_MS, done);
      this.wake = done;
    });
  }

  commit(offsets: readonly TopicPartitionOffset[]): void {
    this.calls.push(`commit ${offsets.map((o) => `${at(o)}@${o.offset}`).join(' ')}`);
    if (this.answerCommits === 'manual') this.unanswered.push([...offsets]);
    else queueMicrotask(() => this.reply(offsets, { error: undefined, rejected: new Set() }));
  }

  async seek({ topic, partition, offset }: TopicPartitionOffset): Promise<void> {
    this.calls.push(`seek ${at({ topic, partition })}@${offset}`);
    const key = partitionKey(topic, partition);
    if (!this.positions.has(key))
      throw new Error(`Local: Erroneous state (${at({ topic, partition })} not assigned)`);
    this.positions.set(key, offset === -2 ? 0 : offset === -1 ? this.logOf(topic, partition).length : offset);
    this.wake?.();
  }

  async offsetForTime({ topic, partition }: TopicPartition, timestamp: number): Promise<number> {
    const log = this.logOf(topic, partition);
    const found = log.find((r) => (r.timestamp ?? 0) >= timestamp);
    return found ? found.offset : log.length;
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.calls.push(`pause ${partitions.map(at).join(' ')}`);
    for (const p of partitions) this.paused.add(partitionKey(p.topic, p.partition));
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.calls.push(`resume ${partitions.map(at).join(' ')}`);
    for (const p of partitions) this.paused.delete(partitionKey(p.topic, p.partition));
    this.wake?.();
  }

  assign(partitions: readonly TopicPartition[]): void {
    this.calls.push(`assign ${partitions.map(at).join(' ')}`);
    for (const { topic, partition } of partitions) {
      const key = partitionKey(topic, partition);
      this.positions.set(key, this.committedOffsets.get(key) ?? 0);
    }
    this.wake?.();
  }

  unassign(partitions: readonly TopicPartition[]): void {
    this.calls.push(`unassign ${partitions.map(at).join(' ')}`);
    for (const { topic, partition } of partitions) this.positions.delete(partitionKey(topic, partition));
  }

  /** A closed client forgets its assignment and its pauses, as librdkafka's does. */
  async disconnect(): Promise<void> {
    this.calls.push('disconnect');
    this.positions.clear();
    this.paused.clear();
  }

  // ---- inside ----

  private reply(offsets: readonly TopicPartitionOffset[], answer: CommitAnswer): void {
    if (!answer.error)
      for (const o of offsets)
        if (!answer.rejected.has(partitionKey(o.topic, o.partition)))
          this.committedOffsets.set(partitionKey(o.topic, o.partition), o.offset);
    this.events.commitAnswered(answer);
  }

  /** Up to `max` records from the positions of assigned partitions not paused, partitions taking turns. */
  private take(max: number): RawRecord[] {
    const taken = this.stale.splice(0, max);
    const keys = [...this.positions.keys()].filter((k) => !this.paused.has(k));
    for (let i = 0; i < keys.length && taken.length < max; i++) {
      const key = keys[(this.turn + i) % keys.length];
      const log = this.logs.get(key) ?? [];
      let position = this.positions.get(key)!;
      while (position < log.length && taken.length < max) taken.push(log[position++]);
      this.positions.set(key, position);
    }
    this.turn++;
    return taken;
  }

  private logOf(topic: string, partition: number): RawRecord[] {
    const key = partitionKey(topic, partition);
    let log = this.logs.get(key);
    if (!log) this.logs.set(key, (log = []));
    return log;
  }
}
