import { traceInvocations } from '../tracing/invocation.tracer';
import type { LoggerService } from '@nestjs/common';
import { BatchRunner, ListenerInvoker } from '../batch/batch.runner';
import type { ConsumerClient, ConsumerEvents } from '../client/consumer.client';
import type { Clock } from '../common/clock';
import { timeSlicer } from '../common/event-loop.slicer';
import { DeadLetterRecoverer, DeadLetterSink } from '../failure/dead-letter.recoverer';
import { RetryingErrorHandler } from '../failure/retrying.error-handler';
import type { RetryTopics } from '../failure/retry-topics';
import type { ResolvedListenerOptions } from '../interfaces/batch-listener-options.interface';
import { RebalanceNotifier } from '../membership/rebalance.notifier';
import { RebalanceProtocol } from '../membership/rebalance.protocol';
import type { KafkaRebalanceListener } from '../membership/rebalance-listener.interface';
import type { StaticMemberRemover } from '../membership/wire/static-member.remover';
import { OffsetCommitter } from '../offsets/offset.committer';
import type { OffsetStore } from '../exactly-once/offset.store';
import { OffsetTransactions } from '../exactly-once/offset.transactions';
import { DECODE_SLICE_MS, RecordDecoder } from '../records/record.decoder';
import { AssignedPartitions } from './assigned.partitions';
import { Backpressure } from './backpressure';
import { BatchDispatcher, DispatchedBatch } from './batch.dispatcher';
import { BatchOutcomeApplier } from './batch-outcome.applier';
import type { ListenerEvents } from './listener.events';
import { PartitionSeeker } from './partition.seeker';
import { PollLoop } from './poll.loop';
import { RetryGate } from './retry.gate';

/** How long a full in-flight budget holds the poll loop at most. */
const BACKPRESSURE_HOLD_MS = 1_000;

export interface ListenerContainerDeps {
  /** The user's method behind Nest's context. */
  invoke: ListenerInvoker;
  /** Builds the consumer, given what it reports to. */
  consumer(events: ConsumerEvents): ConsumerClient;
  /** Where dead letters go; none when dead-lettering is off. */
  deadLetters?: DeadLetterSink;
  /** The retry topics the dead letters go through first, consumed by the listener too. */
  retryTopics?: RetryTopics;
  rebalanceListener?: KafkaRebalanceListener;
  /** Removes a static member from its group when it stops for good; built when first needed. */
  memberRemover?: () => StaticMemberRemover;
  /** Exactly-once mode: the database that stores the offsets with the handler's writes. */
  offsetStore?: OffsetStore;
  clock?: Clock;
  logger?: LoggerService;
}

/** What the parts need of the container's lifecycle. */
export interface ListenerLifecycle {
  events: ListenerEvents;
  clock: Clock;
  logger: LoggerService;
  /** Running, not stopping: batches may start, paused partitions may resume. */
  running(): boolean;
  /** Aborted as the listener stops. */
  stopping(): AbortSignal;
  /** The client cannot go on. */
  fail(reason: string): void;
}

export interface ListenerParts {
  consumer: ConsumerClient;
  partitions: AssignedPartitions;
  backpressure: Backpressure;
  poller: PollLoop;
  seeker: PartitionSeeker;
  dispatcher: BatchDispatcher;
  committer: OffsetCommitter;
  rebalance: RebalanceProtocol;
}

/** Builds a listener's parts and connects them; each talks to the others through small interfaces. */
export function assembleListener(
  options: ResolvedListenerOptions,
  deps: ListenerContainerDeps,
  lifecycle: ListenerLifecycle,
): ListenerParts {
  const { events, clock, logger, running } = lifecycle;
  const consumer = deps.consumer({
    rebalanced: (event) => rebalance.handle(event),
    commitAnswered: (answer) => committer.answered(answer),
    failed: (reason) => lifecycle.fail(reason),
    warned: (message, severity) => (severity === 'error' ? logger.error(message) : logger.warn(message)),
  });
  const partitions = new AssignedPartitions(consumer);
  const holdMs = Math.min(BACKPRESSURE_HOLD_MS, options.maxPollIntervalMs / 4);
  const { maxInFlightRecords: maxRecords, maxInFlightBytes: maxBytes } = options;
  const backpressure = new Backpressure({ maxRecords, maxBytes, holdMs }, partitions, clock);
  const dropped = backpressure.release.bind(backpressure);
  const poller = new PollLoop(consumer, clock, () => backpressure.wake());
  // ackMode 'record' commits after each record: each is a batch of its own, applied when it ends.
  const limits = { ...options, maxPollRecords: options.ackMode === 'record' ? 1 : options.maxPollRecords };
  const dispatch = () => dispatcher.dispatch();
  const seeker = new PartitionSeeker({
    consumer,
    partitions,
    poller,
    clock,
    logger,
    dropped,
    backoffEnded: dispatch,
  });
  const gate = deps.retryTopics && new RetryGate(deps.retryTopics, seeker, clock);
  const run = (batch: DispatchedBatch) => applier.run(batch);
  const dispatcher = new BatchDispatcher(limits, partitions, run, clock, running, gate);
  const committer = new OffsetCommitter(
    consumer,
    () => partitions.values(),
    events,
    clock,
    logger,
    options.commitIntervalMs,
  );
  const notifier = new RebalanceNotifier(
    deps.rebalanceListener,
    options.rebalanceListenerTimeoutMs,
    clock,
    logger,
  );
  const storedOffsets =
    deps.offsetStore && new OffsetTransactions(deps.offsetStore, options.groupId, clock, logger);
  const rebalance = new RebalanceProtocol({
    ...{
      consumer,
      partitions,
      dispatcher,
      poller,
      committer,
      notifier,
      events,
      clock,
      logger,
      running,
      dropped,
    },
    storedOffsets,
    startAt: (state, offset) => {
      seeker.startAt(state, offset);
      committer.request();
    },
    shutdownTimeoutMs: options.shutdownTimeoutMs,
    stopped: lifecycle.stopping,
    ready: dispatch,
  });
  const runner = new BatchRunner({
    ...{ options, events, clock, logger, storedOffsets },
    // Outside the transaction: its statements are children of the invocation's span.
    invoke: traceInvocations(storedOffsets ? storedOffsets.wrap(deps.invoke) : deps.invoke, options),
    decoder: new RecordDecoder(
      options,
      timeSlicer(DECODE_SLICE_MS, () => clock.now()),
    ),
    errors: new RetryingErrorHandler(options.retry, options.id, logger),
    recoverer: new DeadLetterRecoverer(deps.deadLetters, options.id, events, clock, logger),
  });
  const applier = new BatchOutcomeApplier({
    ...{ runner, partitions, backpressure, seeker, committer, logger, running },
    listenerId: options.id,
    retry: options.retry,
  });
  return { consumer, partitions, backpressure, poller, seeker, dispatcher, committer, rebalance };
}
