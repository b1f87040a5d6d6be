import { Logger, LoggerService } from '@nestjs/common';
import { Clock, systemClock } from '../common/clock';
import { describePartition, TopicPartition } from '../common/topic-partition';
import type { ResolvedListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { DeadLetterSink } from '../failure/dead-letter.recoverer';
import type { StaticMemberRemover } from '../membership/wire/static-member.remover';
import type { ContainerState, ListenerContainer, StopOptions } from './listener-container.interface';
import { ListenerEventMap, ListenerEventName, ListenerEvents } from './listener.events';
import type { SeekTarget } from './partition.state';
import { assembleListener, ListenerContainerDeps, ListenerParts } from './listener.parts';

/**
 * Runs one @BatchListener: a lifecycle facade over the parts that do the work. Its poll cycle:
 * hold while the in-flight budget is full, fetch, buffer per partition, run the work queued for
 * between polls (seeks, rebalances), relieve backpressure, dispatch batches. A batch's outcome
 * marks records done, rewinds partitions and requests a commit.
 */
export class KafkaListenerContainer implements ListenerContainer {
  readonly options: Readonly<ResolvedListenerOptions>;
  private readonly logger: LoggerService;
  private readonly clock: Clock;
  private readonly events = new ListenerEvents();
  private readonly parts: ListenerParts;
  private readonly deadLetters: DeadLetterSink | undefined;
  private readonly memberRemover: (() => StaticMemberRemover) | undefined;
  /** The topics and retry topics it consumes, or its pattern. */
  private readonly subscription: string[] | RegExp;
  private lifecycle: ContainerState = 'created';
  private fatalError: Error | undefined;
  /** Aborted as the listener stops: retries and backoffs end, no batch starts. */
  private stopping = new AbortController();
  /** Aborted by the first fatal error: a start still connecting ends there. */
  private failure = new AbortController();
  private starting: Promise<void> | undefined;
  private connecting: Promise<void> | undefined;
  private shutdown: Promise<void> | undefined;

  constructor(options: ResolvedListenerOptions, deps: ListenerContainerDeps) {
    // What the registry hands out is a view: the options it shows cannot be changed under it.
    for (const part of [
      options.retry,
      options.deadLetter,
      options.topics,
      options.rdkafka,
      options.exactlyOnce,
      options.retryTopics,
      options.retryTopics?.delaysMs,
    ])
      Object.freeze(part);
    this.options = Object.freeze(options);
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? new Logger(`BatchListener ${options.id}`);
    this.deadLetters = deps.deadLetters;
    this.memberRemover = deps.memberRemover;
    this.subscription = deps.retryTopics?.subscription() ?? options.topicPattern ?? options.topics;
    this.parts = assembleListener(options, deps, {
      events: this.events,
      clock: this.clock,
      logger: this.logger,
      running: () => this.running,
      stopping: () => this.stopping.signal,
      fail: (reason) => this.fail(reason),
    });
  }

  get state(): ContainerState {
    return this.lifecycle;
  }

  get error(): Error | undefined {
    return this.fatalError;
  }

  get assignment(): TopicPartition[] {
    return this.parts.partitions.assignment();
  }

  get inFlightRecords(): number {
    return this.parts.backpressure.inFlightRecords;
  }

  get inFlightBytes(): number {
    return this.parts.backpressure.inFlightBytes;
  }

  get lastPollAt(): number {
    return this.parts.poller.lastPollAt;
  }

  get joinedGroupAt(): number | undefined {
    return this.parts.rebalance.joinedGroupAt;
  }

  get batchesInFlight(): number {
    return this.parts.dispatcher.runningCount;
  }

  get oldestBatchStartedAt(): number | undefined {
    return this.parts.dispatcher.oldestStartedAt;
  }

  get paused(): boolean {
    return this.parts.partitions.isPausedEverywhere('requested');
  }

  pausedPartitions() {
    return this.parts.partitions.paused();
  }

  holds(topic: string, partition: number): boolean {
    const state = this.parts.partitions.get(topic, partition);
    return state !== undefined && !state.revoking;
  }

  pollLoopAlive(now = this.clock.now()): boolean {
    return (
      (this.running || this.lifecycle === 'stopping') &&
      now - this.lastPollAt <= this.options.maxPollIntervalMs
    );
  }

  committedOffsets(partitions: readonly TopicPartition[], timeoutMs: number) {
    return this.parts.consumer.committed(partitions, timeoutMs);
  }

  on<E extends ListenerEventName>(event: E, handler: (...args: ListenerEventMap[E]) => void): () => void {
    return this.events.subscribe(event, handler);
  }

  async start(): Promise<void> {
    if (this.lifecycle === 'starting') return this.starting;
    if (this.lifecycle !== 'created' && this.lifecycle !== 'stopped') return;
    this.starting = this.startUp().finally(() => (this.starting = undefined));
    return this.starting;
  }

  stop(options: StopOptions = {}): Promise<void> {
    if (this.lifecycle === 'created' || this.lifecycle === 'stopped') return Promise.resolve();
    this.shutdown ??= this.shutDown(options.leaveGroup === true);
    return this.shutdown;
  }

  seek(topic: string, partition: number, target: SeekTarget): void {
    const state = this.parts.partitions.get(topic, partition);
    if (!state || state.revoking)
      throw new Error(
        `${this.options.id}: ${describePartition({ topic, partition })} is not assigned to this consumer`,
      );
    this.parts.seeker.seek(state, target);
  }

  pause(): void {
    this.parts.partitions.pauseAll('requested');
  }

  resume(): void {
    this.parts.partitions.resumeAll('requested');
    this.parts.dispatcher.dispatch();
  }

  private get running(): boolean {
    return this.lifecycle === 'running';
  }

  private async startUp(): Promise<void> {
    this.lifecycle = 'starting';
    this.stopping = new AbortController();
    this.shutdown = undefined;
    this.parts.rebalance.restart();
    this.parts.backpressure.reset();
    this.connecting = this.parts.consumer.connect();
    try {
      await Promise.race([this.connecting, aborted(this.failure.signal)]);
    } catch (err) {
      this.lifecycle = 'stopped';
      throw err;
    }
    // A topic missing when subscribed is seen only at the next metadata refresh (5 minutes).
    await this.deadLetters
      ?.prepare?.()
      .catch((err: Error) => this.fail(`cannot create the retry topics: ${err.message}`));
    if (this.fatalError) {
      // Refused credentials, say: the connect goes on until its timeout; the stop waits for it.
      this.lifecycle = 'failed';
      void this.stop();
      return;
    }
    this.parts.consumer.subscribe(this.subscription);
    this.lifecycle = 'running';
    this.parts.poller
      .start(() => this.pollOnce())
      .catch((err: Error) => this.fail(`poll loop failed: ${err.stack ?? err}`));
    const { groupId, topicPattern, topics, maxPollRecords, concurrency, ackMode, listenerType } =
      this.options;
    this.logger.log(
      `started: group ${groupId}, ${topicPattern ?? topics.join(', ')}, maxPollRecords ${maxPollRecords}, concurrency ${concurrency}, ${listenerType} listener, ackMode ${ackMode}`,
    );
  }

  private async pollOnce(): Promise<void> {
    await this.parts.backpressure.beforePoll(() => this.parts.poller.runQueued(), this.stopping.signal);
    const records = await this.parts.poller.consume(this.options.maxPollRecords, this.stopping.signal);
    // Draining for shutdown: what arrives now is neither tracked nor committed; it is read again later.
    if (this.running && records.length > 0)
      this.parts.backpressure.add(this.parts.partitions.buffer(records));
    await this.parts.poller.runQueued();
    if (!this.running) return;
    this.parts.backpressure.afterPoll();
    this.parts.dispatcher.dispatch();
  }

  private async shutDown(leaveGroup: boolean): Promise<void> {
    await this.starting?.catch(() => undefined);
    if (this.lifecycle !== 'running' && this.lifecycle !== 'failed') return;
    const failed = this.lifecycle === 'failed';
    this.stopping.abort();
    this.parts.backpressure.wake();
    if (!failed) {
      // The poll loop keeps running while draining: librdkafka delivers commit answers (and
      // rebalance events) only to a consumer that polls. It fetches nothing new meanwhile.
      this.lifecycle = 'stopping';
      this.parts.partitions.pauseAll('backpressure');
      await this.drain();
    }
    this.lifecycle = failed ? 'failed' : 'closing';
    this.parts.poller.stop();
    await this.parts.poller.ended();
    this.parts.committer.stop();
    await this.connecting?.catch(() => undefined);
    await this.parts.consumer
      .disconnect()
      .catch((err: Error) => this.logger.warn(`disconnect: ${err.message}`));
    this.parts.partitions.clear();
    // A fenced member's id belongs to its successor now: removing it would remove the successor.
    if (leaveGroup && !failed) await this.leaveGroup();
    await this.deadLetters?.close();
    this.lifecycle = failed ? 'failed' : 'stopped';
    this.logger.log('stopped');
  }

  /**
   * librdkafka closes a static member without leaving its group (a restart must not rebalance);
   * one that is not coming back is removed, or its partitions wait out the session timeout.
   */
  private async leaveGroup(): Promise<void> {
    const { groupId, groupInstanceId } = this.options;
    if (!groupInstanceId || !this.memberRemover) return;
    try {
      const result = await this.memberRemover().remove(groupId, groupInstanceId);
      this.logger.log(
        result === 'removed'
          ? `left group ${groupId} for good (static member ${groupInstanceId}): its partitions move now`
          : `static member ${groupInstanceId} was no longer in group ${groupId}`,
      );
    } catch (err) {
      this.logger.error(
        `could not leave group ${groupId} for good: ${(err as Error).message}; its partitions move when its session times out`,
      );
    }
  }

  /** Lets running batches finish (bounded) and commits what is done. */
  private async drain(): Promise<void> {
    if (!(await this.parts.dispatcher.awaitBatches(this.options.shutdownTimeoutMs)))
      this.logger.warn(
        `in-flight batches still running after ${this.options.shutdownTimeoutMs} ms; their records will be delivered again`,
      );
    await this.parts.committer
      .flush()
      .catch((err: Error) => this.logger.error(`final commit failed: ${err.message}`));
  }

  /**
   * A fenced static member or a failed authentication does not heal by retrying: the listener
   * stops for good and reports why. librdkafka may say "Local: Fatal error" before its reason.
   */
  private fail(reason: string): void {
    if (this.fatalError) {
      if (this.fatalError.message === 'Local: Fatal error') this.fatalError.message = reason;
      return;
    }
    this.fatalError = new Error(reason);
    this.failure.abort();
    this.logger.error(`fatal client error, this listener stops: ${reason}`);
    this.events.emit('fatal', { reason });
    if (!this.running) return;
    this.lifecycle = 'failed';
    void this.stop();
  }
}

/** Resolves when `signal` aborts. */
function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
