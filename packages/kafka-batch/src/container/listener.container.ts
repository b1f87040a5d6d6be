import {
  Assignment,
  CODES,
  ConsumerGlobalConfig,
  KafkaConsumer,
  LibrdKafkaError,
  Producer,
} from '@confluentinc/kafka-javascript';
import { Logger } from '@nestjs/common';
import { fromCallback, partitionKey, RdKafkaConsumer } from '../client/rdkafka.types';
import { deadLetterProducerConfig, DeadLetterPublisher } from '../failure/dead-letter.publisher';
import type {
  LibrdkafkaConfig,
  ResolvedListenerOptions,
} from '../interfaces/batch-listener-options.interface';
import type { RawRecord } from '../interfaces/raw-record.interface';
import { membershipConfig } from '../membership/membership.config';
import type { KafkaRebalanceListener } from '../membership/rebalance-listener.interface';
import { RebalanceNotifier } from '../membership/rebalance.notifier';
import { BatchProcessor, ListenerInvoker, Redelivery } from '../batch/batch.processor';
import { InFlightBudget } from './in-flight.budget';
import { ListenerEvents } from './listener.events';
import { OffsetCommitter } from '../offsets/offset.committer';
import { PartitionState, SeekTarget } from './partition.state';

export type ContainerState =
  'created' | 'starting' | 'running' | 'stopping' | 'closing' | 'stopped' | 'failed';

const CONSUME_TIMEOUT_MS = 200;
const OFFSET_BEGINNING = -2;
const OFFSET_END = -1;
const SEEK_RETRY_MS = 1_000;
/**
 * How long a full in-flight budget stops the consume() calls before the partitions are paused;
 * at most a quarter of maxPollIntervalMs, which the gap between two calls must stay under.
 */
const BACKPRESSURE_HOLD_MS = 1_000;

/**
 * Runs one @BatchListener: fetches with KafkaConsumer.consume(), buffers per partition, dispatches
 * batches of idle partitions (up to `concurrency` at once), applies acks and redeliveries, and
 * commits each partition's safe offset. Its responsibilities mirror Spring Kafka's
 * KafkaMessageListenerContainer.
 */
export class ListenerContainer {
  readonly logger: Logger;
  readonly events = new ListenerEvents();
  private readonly consumer: RdKafkaConsumer;
  private readonly partitions = new Map<string, PartitionState>();
  /** Running batches and when each started. */
  private readonly active = new Map<Promise<void>, number>();
  private readonly budget: InFlightBudget;
  private readonly committer: OffsetCommitter;
  private readonly processor: BatchProcessor;
  private readonly deadLetters: DeadLetterPublisher | undefined;
  private readonly sleepers = new Set<() => void>();
  private readonly rebalance: RebalanceNotifier;
  /**
   * Work that must not overlap a consume() call, run by the poll loop between two calls. A call
   * under way when a seek or an assignment takes effect may return records from before it and
   * from after it alike, and the two cannot be told apart.
   */
  private readonly betweenPolls: (() => Promise<void>)[] = [];
  private polling = false;
  /** The poll loop's backpressure hold, woken when the budget has room, work is queued, or it stops. */
  private readonly holdSleepers = new Set<() => void>();
  private pausedForBudget = false;
  private dispatchCursor = 0;
  private pollLoop: Promise<void> | undefined;
  private lifecycle: ContainerState = 'created';
  private fatalError: Error | undefined;
  lastPollAt = 0;
  /** When the group first gave this consumer an assignment (possibly empty) since it started. */
  joinedGroupAt: number | undefined;

  constructor(
    readonly options: ResolvedListenerOptions,
    invoke: ListenerInvoker,
    clientConfig: LibrdkafkaConfig,
    rebalanceListener?: KafkaRebalanceListener,
  ) {
    this.logger = new Logger(`BatchListener ${options.id}`);
    this.rebalance = new RebalanceNotifier(
      rebalanceListener,
      options.rebalanceListenerTimeoutMs,
      this.logger,
    );
    this.budget = new InFlightBudget(options.maxInFlightRecords, options.maxInFlightBytes);
    this.consumer = new KafkaConsumer(this.consumerConfig(clientConfig), {
      'auto.offset.reset': options.autoOffsetReset,
    }) as RdKafkaConsumer;
    this.consumer.on('event.error', (err) => this.onClientError(err));
    this.consumer.on('event.log', (log: ClientLog) => this.onClientLog(log));
    this.committer = new OffsetCommitter(
      this.consumer,
      () => this.partitions.values(),
      this.events,
      this.logger,
    );
    this.consumer.on('offset.commit', (err, offsets) => this.committer.onCommitAnswer(err, offsets));
    this.deadLetters = options.deadLetter.enabled
      ? new DeadLetterPublisher(
          new Producer(
            deadLetterProducerConfig({ ...clientConfig, 'client.id': `${clientConfig['client.id']}-dlt` }),
          ),
          options.groupId,
          options.deadLetter.topic,
        )
      : undefined;
    this.processor = new BatchProcessor(
      options,
      invoke,
      this.deadLetters,
      {
        isActive: (state) => this.lifecycle === 'running' && !state.revoking,
        sleep: (ms) => this.sleep(ms),
      },
      this.events,
      this.logger,
    );
  }

  get state(): ContainerState {
    return this.lifecycle;
  }

  get error(): Error | undefined {
    return this.fatalError;
  }

  get inFlightRecords(): number {
    return this.budget.inFlightRecords;
  }

  /** Assigned partitions as `topic[partition]`. */
  get assignment(): { topic: string; partition: number }[] {
    return [...this.partitions.values()].map(({ topic, partition }) => ({ topic, partition }));
  }

  /** The partition is assigned here and not being revoked. */
  holds(topic: string, partition: number): boolean {
    const state = this.partitions.get(partitionKey(topic, partition));
    return state !== undefined && !state.revoking;
  }

  /** The poll loop runs and has polled within max.poll.interval.ms. */
  pollLoopAlive(now = Date.now()): boolean {
    return (
      (this.lifecycle === 'running' || this.lifecycle === 'stopping') &&
      now - this.lastPollAt <= this.options.maxPollIntervalMs
    );
  }

  /** Start time of the longest-running batch; undefined when none runs. */
  get oldestBatchStartedAt(): number | undefined {
    let oldest: number | undefined;
    for (const startedAt of this.active.values())
      if (oldest === undefined || startedAt < oldest) oldest = startedAt;
    return oldest;
  }

  pausedPartitions(): { topic: string; partition: number; reasons: string[] }[] {
    return [...this.partitions.values()]
      .filter((s) => s.pausedFor.size > 0)
      .map((s) => ({ topic: s.topic, partition: s.partition, reasons: [...s.pausedFor] }));
  }

  async start(): Promise<void> {
    if (this.lifecycle !== 'created' && this.lifecycle !== 'stopped') return;
    this.lifecycle = 'starting';
    this.joinedGroupAt = undefined;
    this.pausedForBudget = false;
    await fromCallback((done) => this.consumer.connect({ timeout: 30_000 }, done));
    this.consumer.setDefaultConsumeTimeout(CONSUME_TIMEOUT_MS);
    this.consumer.setDefaultIsTimeoutOnlyForFirstMessage(true);
    this.consumer.subscribe(this.options.topicPattern ? [this.options.topicPattern] : this.options.topics);
    this.lifecycle = 'running';
    this.lastPollAt = Date.now();
    this.pollLoop = this.poll().catch((err: Error) => this.fail(`poll loop failed: ${err.stack ?? err}`));
    this.logger.log(
      `started: group ${this.options.groupId}, ${this.options.topicPattern ?? this.options.topics.join(', ')}, maxPollRecords ${this.options.maxPollRecords}, concurrency ${this.options.concurrency}, ackMode ${this.options.ackMode}`,
    );
  }

  /** Stops fetching, lets in-flight batches finish (bounded), commits what is done, leaves. */
  async stop(): Promise<void> {
    if (this.lifecycle !== 'running' && this.lifecycle !== 'failed') return;
    const failed = this.lifecycle === 'failed';
    this.lifecycle = 'stopping';
    this.wakeSleepers();
    if (!failed) {
      // The poll loop keeps running while draining: librdkafka delivers commit answers (and
      // rebalance events) only to a consumer that polls. It fetches nothing new meanwhile.
      for (const state of this.partitions.values()) this.pause(state, 'backpressure');
      await this.settle([...this.active.keys()], this.options.shutdownTimeoutMs);
      await this.committer
        .flush()
        .catch((err: Error) => this.logger.error(`final commit failed: ${err.message}`));
    }
    this.lifecycle = 'closing';
    await this.pollLoop;
    this.committer.stop();
    for (const state of this.partitions.values()) clearTimeout(state.backoffTimer);
    await fromCallback((done) => this.consumer.disconnect(done)).catch((err: Error) =>
      this.logger.warn(`disconnect: ${err.message}`),
    );
    await this.deadLetters?.close();
    this.lifecycle = failed ? 'failed' : 'stopped';
    this.logger.log('stopped');
  }

  /** The group's committed offsets, asked of the group coordinator (OffsetFetch) without blocking the loop. */
  committedOffsets(
    partitions: { topic: string; partition: number }[],
    timeoutMs: number,
  ): Promise<{ topic: string; partition: number; offset: number }[]> {
    return fromCallback((done) => this.consumer.committed(partitions, timeoutMs, done));
  }

  /** Repositions a partition; applied after its current batch when it is busy. */
  seek(topic: string, partition: number, target: SeekTarget): void {
    const state = this.partitions.get(partitionKey(topic, partition));
    if (!state)
      throw new Error(`${this.options.id}: ${topic}[${partition}] is not assigned to this consumer`);
    state.pendingSeek = target;
    if (!state.busy) this.applySeek(state);
  }

  private consumerConfig(clientConfig: LibrdkafkaConfig): ConsumerGlobalConfig {
    const o = this.options;
    const queuedKbytes = Math.max(1024, Math.min(65_536, Math.floor(o.maxInFlightBytes / 1024 / 2)));
    return {
      ...clientConfig,
      'client.id': `${clientConfig['client.id']}-${o.id}`,
      'group.id': o.groupId,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'enable.partition.eof': false,
      'fetch.min.bytes': o.fetchMinBytes,
      'fetch.wait.max.ms': o.fetchMaxWaitMs,
      ...membershipConfig(o),
      // librdkafka's warnings and errors reach the application log; the fatal reason comes this way.
      event_cb: true,
      log_level: 4,
      offset_commit_cb: true,
      // librdkafka's prefetch queue is memory outside the in-flight budget: size it with the budget.
      'queued.max.messages.kbytes': queuedKbytes,
      'fetch.max.bytes': Math.min(52_428_800, queuedKbytes * 1024),
      ...o.rdkafka,
      rebalance_cb: (err: LibrdKafkaError, assignment: Assignment[]) => this.onRebalance(err, assignment),
    } as ConsumerGlobalConfig;
  }

  private async poll(): Promise<void> {
    this.polling = true;
    try {
      while (this.lifecycle === 'running' || this.lifecycle === 'stopping') {
        await this.holdWhileBudgetFull();
        const messages = await this.consume();
        if (messages.length > 0) this.append(messages);
        await this.runBetweenPolls();
        this.applyBackpressure();
        this.dispatch();
      }
    } finally {
      this.polling = false;
      await this.runBetweenPolls();
    }
  }

  private async runBetweenPolls(): Promise<void> {
    while (this.betweenPolls.length > 0) await this.betweenPolls.shift()!();
  }

  private async consume(): Promise<RawRecord[]> {
    try {
      const messages = await fromCallback<RawRecord[]>((done) =>
        this.consumer.consume(this.options.maxPollRecords, done),
      );
      this.lastPollAt = Date.now();
      return messages;
    } catch (err) {
      if (this.lifecycle === 'running' || this.lifecycle === 'stopping') {
        this.onClientError(err as LibrdKafkaError);
        await this.sleep(100);
      }
      return [];
    }
  }

  /** Runs `op` between two consume() calls, or now when the poll loop is not running. */
  private betweenConsumeCalls<T>(op: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const run = () => op().then(resolve, reject);
      if (this.polling) {
        this.betweenPolls.push(run);
        // A seek or rewind must not wait out a backpressure hold.
        this.wakeHold();
      } else void run();
    });
  }

  private append(messages: RawRecord[]): void {
    // Draining for shutdown: what arrives now is neither tracked nor committed; it is read again later.
    if (this.lifecycle !== 'running') return;
    let records = 0;
    let bytes = 0;
    for (const message of messages) {
      const state = this.partitions.get(partitionKey(message.topic, message.partition));
      // Stale: the partition was revoked, or is about to be rewound or seeked.
      if (!state || state.revoking || state.seeking > 0 || !state.tracker.track(message.offset)) continue;
      state.buffer.push(message);
      state.bufferBytes += message.size;
      records++;
      bytes += message.size;
    }
    this.budget.add(records, bytes);
  }

  private dispatch(): void {
    while (this.lifecycle === 'running' && this.active.size < this.options.concurrency) {
      const ready = [...this.partitions.values()].filter((s) => s.dispatchable);
      if (ready.length === 0) return;
      const freeSlots = this.options.concurrency - this.active.size;
      const partitionsPerBatch = Math.ceil(ready.length / freeSlots);
      const start = this.dispatchCursor++ % ready.length;
      const chosen = [...ready.slice(start), ...ready.slice(0, start)].slice(0, partitionsPerBatch);
      const states = new Map<string, PartitionState>();
      const raws: RawRecord[] = [];
      for (const state of chosen) {
        const room = this.options.maxPollRecords - raws.length;
        if (room <= 0) break;
        state.busy = true;
        states.set(partitionKey(state.topic, state.partition), state);
        raws.push(...state.take(room));
      }
      const run = this.run(states, raws);
      this.active.set(run, Date.now());
      for (const state of states.values()) state.inFlight = run;
      // The next batch starts as soon as this one frees its slot, not when consume() next returns
      // (up to its timeout while backpressure pauses every partition).
      void run.finally(() => {
        this.active.delete(run);
        this.dispatch();
      });
    }
  }

  private async run(states: Map<string, PartitionState>, raws: RawRecord[]): Promise<void> {
    let redeliveries = new Map<PartitionState, Redelivery>();
    try {
      redeliveries = await this.processor.process(states, raws);
    } catch (err) {
      // Not the handler (its errors are retried and dead-lettered): a bug or a lost client. Nothing
      // of this batch counts as done unless already marked; deliver the rest again.
      this.logger.error(`batch processing failed: ${(err as Error).stack ?? err}`);
      for (const state of states.values()) {
        const first = raws.find(
          (r) =>
            r.topic === state.topic &&
            r.partition === state.partition &&
            r.offset >= (state.tracker.firstOutstanding ?? Infinity),
        );
        if (first) redeliveries.set(state, { offset: first.offset, backoffMs: 1_000 });
      }
    }
    this.budget.release(
      raws.length,
      raws.reduce((sum, r) => sum + r.size, 0),
    );
    for (const state of states.values()) {
      state.busy = false;
      state.inFlight = undefined;
      const redelivery = redeliveries.get(state);
      if (redelivery && !state.revoking) this.redeliver(state, redelivery);
      if (state.pendingSeek !== undefined && !state.revoking) this.applySeek(state);
    }
    this.committer.request();
    this.applyBackpressure();
  }

  /** Rewinds a partition so `offset` and everything after it is fetched again, after the backoff. */
  private redeliver(state: PartitionState, { offset, backoffMs }: Redelivery): void {
    state.tracker.rewindTo(offset);
    const dropped = state.dropBuffer();
    this.budget.release(dropped.records, dropped.bytes);
    if (backoffMs > 0) {
      this.pause(state, 'backoff');
      clearTimeout(state.backoffTimer);
      state.backoffTimer = setTimeout(() => {
        state.backoffTimer = undefined;
        this.resume(state, 'backoff');
        this.dispatch();
      }, backoffMs);
    }
    this.seekConsumer(state, offset);
  }

  private applySeek(state: PartitionState): void {
    const target = state.pendingSeek;
    state.pendingSeek = undefined;
    if (target === undefined) return;
    state.tracker.reset();
    const dropped = state.dropBuffer();
    this.budget.release(dropped.records, dropped.bytes);
    this.seekConsumer(state, target);
  }

  /**
   * Moves the partition's fetch position. What is fetched until the seek is done comes from the
   * old position and is dropped. A failed seek is tried again while the partition stays here and
   * no newer seek replaced it: the old position would skip what the tracker now expects.
   */
  private seekConsumer(state: PartitionState, target: SeekTarget): void {
    state.seeking++;
    void this.seekUntilDone(state, target, ++state.seekGeneration);
  }

  private async seekUntilDone(state: PartitionState, target: SeekTarget, generation: number): Promise<void> {
    const { topic, partition } = state;
    // A partition revoked meanwhile may be assigned here again: its new position is not ours to move.
    const current = () =>
      this.partitions.get(partitionKey(topic, partition)) === state &&
      !state.revoking &&
      state.seekGeneration === generation;
    try {
      while (current()) {
        try {
          const offset = await this.seekOffset(state, target);
          await this.betweenConsumeCalls(() =>
            current()
              ? fromCallback((done) => this.consumer.seek({ topic, partition, offset }, 10_000, done))
              : Promise.resolve(),
          );
          return;
        } catch (err) {
          if (!current() || this.lifecycle !== 'running') return;
          this.logger.warn(
            `seek ${topic}[${partition}] to ${describeSeek(target)} failed, trying again: ${(err as Error).message}`,
          );
          await this.sleep(SEEK_RETRY_MS);
        }
      }
    } finally {
      state.seeking--;
    }
  }

  private async seekOffset(state: PartitionState, target: SeekTarget): Promise<number> {
    if (target === 'beginning') return OFFSET_BEGINNING;
    if (target === 'end') return OFFSET_END;
    if (typeof target === 'number') return target;
    const [found] = await fromCallback<{ offset: number }[]>((done) =>
      this.consumer.offsetsForTimes(
        [{ topic: state.topic, partition: state.partition, offset: target.timestamp }],
        10_000,
        done,
      ),
    );
    return found.offset;
  }

  /**
   * A full budget first stops the consume() calls: librdkafka keeps what it has prefetched, and
   * the first call once the budget has room returns at once. Pausing the partitions instead makes
   * librdkafka drop that prefetch and fetch it again on resume, with the pipeline idle meanwhile.
   * Rebalance events and commit answers come only with consume() calls, so a budget still full
   * after the hold (a slow or stuck handler) pauses every partition and polling goes on.
   */
  private async holdWhileBudgetFull(): Promise<void> {
    if (this.lifecycle !== 'running' || !this.budget.full) return;
    if (!this.pausedForBudget) {
      const until = Date.now() + Math.min(BACKPRESSURE_HOLD_MS, this.options.maxPollIntervalMs / 4);
      while (this.lifecycle === 'running' && this.budget.full && Date.now() < until) {
        await this.sleep(until - Date.now(), this.holdSleepers);
        // Seeks and rewinds queued meanwhile; one may free room.
        await this.runBetweenPolls();
      }
      if (this.lifecycle !== 'running' || !this.budget.full) return;
      this.pausedForBudget = true;
    }
    // Again on every poll: a partition assigned since is paused too.
    for (const state of this.partitions.values()) this.pause(state, 'backpressure');
  }

  private applyBackpressure(): void {
    if (this.lifecycle !== 'running') return;
    if (!this.budget.full) this.wakeHold();
    // Paused partitions resume at half: each resume costs a refetch of their prefetch.
    if (this.pausedForBudget && this.budget.drained) {
      this.pausedForBudget = false;
      for (const state of this.partitions.values()) this.resume(state, 'backpressure');
    }
  }

  private pause(state: PartitionState, reason: 'backpressure' | 'backoff'): void {
    // A revoked partition was resumed for the unassign (see resumeBeforeUnassign): keep it so.
    if (state.pausedFor.has(reason) || state.revoking) return;
    if (state.pausedFor.size === 0) this.consumer.pause([{ topic: state.topic, partition: state.partition }]);
    state.pausedFor.add(reason);
  }

  private resume(state: PartitionState, reason: 'backpressure' | 'backoff'): void {
    if (!state.pausedFor.delete(reason) || state.pausedFor.size > 0 || state.revoking) return;
    if (this.lifecycle === 'running')
      this.consumer.resume([{ topic: state.topic, partition: state.partition }]);
  }

  /**
   * librdkafka keeps a partition's pause through unassign: were it assigned here again, it would
   * never be fetched. Resumed while still assigned, as librdkafka's pause/resume is meant to be
   * used; what it fetches meanwhile is dropped.
   */
  private resumeBeforeUnassign(states: PartitionState[]): void {
    const paused = states.filter((s) => s.pausedFor.size > 0);
    if (paused.length === 0 || this.lifecycle !== 'running') return;
    for (const state of paused) state.pausedFor.clear();
    this.consumer.resume(paused.map(({ topic, partition }) => ({ topic, partition })));
  }

  /**
   * Rebalance events are handled in order between consume() calls: a call under way when
   * partitions are assigned could carry records of an earlier ownership of the same partitions.
   * A revoke starts there and goes on without holding up the poll loop.
   */
  private onRebalance(err: LibrdKafkaError, assignment: Assignment[]): void {
    void this.betweenConsumeCalls(async () => {
      const cooperative = this.consumer.rebalanceProtocol() === 'COOPERATIVE';
      try {
        if (err.code === CODES.ERRORS.ERR__ASSIGN_PARTITIONS) this.assign(assignment, cooperative);
        else if (err.code === CODES.ERRORS.ERR__REVOKE_PARTITIONS)
          this.revoke(assignment, cooperative).catch((e: Error) =>
            this.logger.error(`revoke failed: ${e.stack}`),
          );
        else {
          this.logger.error(`rebalance error: ${err.message}`);
          this.consumer.assign([]);
        }
      } catch (e) {
        this.logger.error(`rebalance handling failed: ${(e as Error).message}`);
      }
    });
  }

  private assign(assignment: Assignment[], cooperative: boolean): void {
    for (const { topic, partition } of assignment) {
      this.partitions.set(partitionKey(topic, partition), new PartitionState(topic, partition));
    }
    if (cooperative) this.consumer.incrementalAssign(assignment);
    else this.consumer.assign(assignment);
    this.joinedGroupAt ??= Date.now();
    this.logger.log(`assigned ${describeAssignment(assignment)}`);
    this.events.emit('rebalanced', { kind: 'assigned', partitions: assignment.length });
    void this.rebalance.notify(
      'onPartitionsAssigned',
      assignment.map(({ topic, partition }) => ({ topic, partition })),
    );
  }

  /**
   * Stops dispatching the partitions, waits for their batches (bounded), commits and waits for the
   * confirmation, then lets them go. Partitions that stay keep being processed meanwhile.
   */
  private async revoke(assignment: Assignment[], cooperative: boolean): Promise<void> {
    const lost = this.consumer.assignmentLost();
    const states = assignment
      .map(({ topic, partition }) => this.partitions.get(partitionKey(topic, partition)))
      .filter((s): s is PartitionState => s !== undefined);
    const partitions = assignment.map(({ topic, partition }) => ({ topic, partition }));
    for (const state of states) {
      state.revoking = true;
      clearTimeout(state.backoffTimer);
      const dropped = state.dropBuffer();
      this.budget.release(dropped.records, dropped.bytes);
    }
    this.resumeBeforeUnassign(states);
    this.wakeSleepers();
    if (lost) {
      await this.rebalance.notify('onPartitionsLost', partitions);
    } else {
      await this.settle(
        states.flatMap((s) => (s.inFlight ? [s.inFlight] : [])),
        this.options.shutdownTimeoutMs,
      );
      await this.rebalance.notify('onPartitionsRevokedBeforeCommit', partitions);
      await this.committer
        .flush()
        .catch((e: Error) => this.logger.warn(`commit on revoke failed: ${e.message}`));
      await this.rebalance.notify(
        'onPartitionsRevoked',
        states.map(({ topic, partition, tracker }) => ({
          topic,
          partition,
          offset: tracker.confirmedOffset,
        })),
      );
    }
    for (const state of states) this.partitions.delete(partitionKey(state.topic, state.partition));
    try {
      if (cooperative) this.consumer.incrementalUnassign(assignment);
      else this.consumer.unassign();
    } catch (e) {
      if (this.consumer.isConnected()) this.logger.error(`unassign failed: ${(e as Error).message}`);
    }
    this.logger.log(`${lost ? 'lost' : 'revoked'} ${describeAssignment(assignment)}`);
    this.events.emit('rebalanced', { kind: lost ? 'lost' : 'revoked', partitions: assignment.length });
  }

  private onClientError(err: LibrdKafkaError): void {
    if (err.code === CODES.ERRORS.ERR__FATAL || (err as { isFatal?: boolean }).isFatal === true)
      this.fail(err.message);
    else this.logger.warn(`client error: ${err.message}`);
  }

  private onClientLog({ severity, fac, message }: ClientLog): void {
    if (fac === 'FATAL') return this.fail(message.replace(/^\[thrd:[^\]]*\]: /, ''));
    if (severity <= 3) this.logger.error(`librdkafka ${fac}: ${message}`);
    else this.logger.warn(`librdkafka ${fac}: ${message}`);
  }

  /**
   * A fenced static member or a failed authentication does not heal by retrying: the listener
   * stops for good and reports why. librdkafka says "Local: Fatal error" on the consume path and
   * the reason in its FATAL log line, in either order: keep the informative one.
   */
  private fail(reason: string): void {
    if (this.fatalError) {
      if (this.fatalError.message === 'Local: Fatal error') this.fatalError.message = reason;
      return;
    }
    this.fatalError = new Error(reason);
    this.logger.error(`fatal client error, this listener stops: ${reason}`);
    this.events.emit('fatal', { reason });
    if (this.lifecycle === 'running') {
      this.lifecycle = 'failed';
      this.wakeSleepers();
      void this.stop();
    }
  }

  /** Waits for the given runs, at most `timeoutMs`. */
  private async settle(runs: Promise<void>[], timeoutMs: number): Promise<void> {
    if (runs.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)),
    );
    const outcome = await Promise.race([Promise.allSettled(runs), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout')
      this.logger.warn(
        `in-flight batches still running after ${timeoutMs} ms; their records will be delivered again`,
      );
  }

  /** A delay that stop and revoke cut short. */
  private sleep(ms: number, sleepers = this.sleepers): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  private wakeHold(): void {
    for (const wake of [...this.holdSleepers]) wake();
  }

  private wakeSleepers(): void {
    this.wakeHold();
    for (const wake of [...this.sleepers]) wake();
  }
}

interface ClientLog {
  severity: number;
  fac: string;
  message: string;
}

function describeSeek(target: SeekTarget): string {
  return typeof target === 'object' ? `timestamp ${target.timestamp}` : String(target);
}

function describeAssignment(assignment: Assignment[]): string {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of assignment)
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return (
    [...byTopic]
      .map(([topic, partitions]) => `${topic}[${partitions.sort((a, b) => a - b).join(',')}]`)
      .join(' ') || 'nothing'
  );
}
