import type {
  BatchListenerOptions,
  DeadLetterOptions,
  ExactlyOnceOptions,
  ResolvedListenerOptions,
  RetryOptions,
  TracingOptions,
  ValueLimits,
} from '../interfaces/batch-listener-options.interface';
import type { KafkaBatchModuleOptions } from '../interfaces/kafka-batch-module-options.interface';
import { DEFAULT_DEAD_LETTER_STACK_TRACE } from '../failure/dead-letter.stack-trace';
import { isTransientError } from '../failure/transient-error.classifier';
import { resolveGroupInstanceId } from '../membership/group-instance-id';
import { DEFAULT_OFFSETS_TABLE } from '../exactly-once/offsets-table.migration';
import { GIVEN_LISTENER_RULES, RESOLVED_LISTENER_RULES } from './listener-options.rules';
import { checkOptions } from './option.rules';

/**
 * Every backpressure pause makes librdkafka drop what it had prefetched and fetch it again (about
 * one fetch.wait.max.ms): a budget of a few small batches would pause every other batch.
 */
const MIN_DEFAULT_IN_FLIGHT_RECORDS = 10_000;

/**
 * In exactly-once mode a Kafka commit only reports progress (to lag monitors and tools): the
 * database decides where a partition starts. Draining a backlog, committing at most every 100 ms
 * instead of after every batch took about 4 % less CPU per record (bench/README.md).
 */
const EXACTLY_ONCE_COMMIT_INTERVAL_MS = 100;

export class KafkaBatchConfigError extends Error {
  override readonly name = 'KafkaBatchConfigError';
}

const RETRY_DEFAULTS: RetryOptions = {
  attempts: 3,
  initialDelayMs: 200,
  multiplier: 2,
  maxDelayMs: 10_000,
  transient: isTransientError,
  bisect: true,
};
const TRACING_DEFAULTS: TracingOptions = { enabled: true, maxLinks: 128 };
const VALUE_LIMIT_DEFAULTS: ValueLimits = { maxBytes: 1024 * 1024, maxKeys: 10_000, maxDepth: 64 };
const DEAD_LETTER_DEFAULTS: DeadLetterOptions = {
  enabled: true,
  topic: (topic) => `${topic}.DLT`,
  stackTrace: DEFAULT_DEAD_LETTER_STACK_TRACE,
};

/**
 * Merges, from the weakest: the library defaults, the module defaults, the listener's decorator
 * options and the module's options for that listener id. Rejects anything invalid with an error
 * naming the listener, where an override came from, the option and the allowed values.
 */
export function resolveListenerOptions(
  listenerId: string,
  decorated: BatchListenerOptions,
  module: Pick<KafkaBatchModuleOptions, 'defaults' | 'listeners'> = {},
): ResolvedListenerOptions {
  const override = module.listeners?.[listenerId];
  const own = overridden(decorated, override);
  const merged = { ...module.defaults, ...own };
  const maxPollRecords = merged.maxPollRecords ?? 500;
  const concurrency = merged.concurrency ?? 1;
  const maxPollIntervalMs = merged.maxPollIntervalMs ?? 300_000;
  const resolved: ResolvedListenerOptions = {
    id: listenerId,
    groupId: merged.groupId as string,
    topics: merged.topics ?? [],
    topicPattern: merged.topicPattern,
    maxPollRecords,
    fetchMinBytes: merged.fetchMinBytes ?? 1024 * 1024,
    fetchMaxWaitMs: merged.fetchMaxWaitMs ?? 500,
    concurrency,
    sessionTimeoutMs: merged.sessionTimeoutMs ?? 45_000,
    heartbeatIntervalMs: merged.heartbeatIntervalMs ?? 3_000,
    maxPollIntervalMs,
    maxBatchDurationMs: merged.maxBatchDurationMs ?? maxPollIntervalMs,
    autoOffsetReset: merged.autoOffsetReset ?? 'earliest',
    ackMode: merged.ackMode ?? 'batch',
    // Before listenerType existed, ackMode 'record' meant a record listener: it still does.
    listenerType: merged.listenerType ?? (merged.ackMode === 'record' ? 'record' : 'batch'),
    deserializer: merged.deserializer ?? 'json',
    validate: merged.validate,
    valueLimits: { ...VALUE_LIMIT_DEFAULTS, ...module.defaults?.valueLimits, ...own.valueLimits },
    retry: { ...RETRY_DEFAULTS, ...module.defaults?.retry, ...own.retry },
    deadLetter: { ...DEAD_LETTER_DEFAULTS, ...module.defaults?.deadLetter, ...own.deadLetter },
    retryTopics: merged.retryTopics,
    maxInFlightRecords:
      merged.maxInFlightRecords ?? Math.max(4 * maxPollRecords * concurrency, MIN_DEFAULT_IN_FLIGHT_RECORDS),
    maxInFlightBytes: merged.maxInFlightBytes ?? 64 * 1024 * 1024,
    commitIntervalMs: merged.commitIntervalMs ?? (merged.exactlyOnce ? EXACTLY_ONCE_COMMIT_INTERVAL_MS : 0),
    shutdownTimeoutMs: merged.shutdownTimeoutMs ?? 30_000,
    autoStartup: merged.autoStartup ?? true,
    groupInstanceId: resolveGroupInstanceId(merged.groupInstanceId, listenerId),
    assignor: merged.assignor ?? 'cooperative-sticky',
    groupProtocol: merged.groupProtocol ?? 'classic',
    rebalanceListener: merged.rebalanceListener,
    rebalanceListenerTimeoutMs: merged.rebalanceListenerTimeoutMs ?? 10_000,
    exactlyOnce: resolveExactlyOnce(merged.exactlyOnce),
    tracing: { ...TRACING_DEFAULTS, ...tracingOf(module.defaults?.tracing), ...tracingOf(own.tracing) },
    rdkafka: { ...module.defaults?.rdkafka, ...own.rdkafka },
  };

  const problems = [
    ...checkOptions(resolved, RESOLVED_LISTENER_RULES),
    ...checkOptions(merged, GIVEN_LISTENER_RULES),
  ];
  if (problems.length > 0) {
    const from = override ? ` (with KafkaBatchModule option listeners["${listenerId}"])` : '';
    throw new KafkaBatchConfigError(`@BatchListener "${listenerId}"${from}: ${problems.join('; ')}`);
  }
  return resolved;
}

/** The decorator's options under the module's for the same id; nested options merge key by key. */
function overridden(decorated: BatchListenerOptions, override: BatchListenerOptions | undefined) {
  if (!override) return decorated;
  // Naming topics or a pattern replaces the decorator's subscription, whichever form it had.
  const subscription =
    override.topics !== undefined || override.topicPattern !== undefined
      ? { topics: override.topics, topicPattern: override.topicPattern }
      : {};
  return {
    ...decorated,
    ...override,
    ...subscription,
    valueLimits: { ...decorated.valueLimits, ...override.valueLimits },
    retry: { ...decorated.retry, ...override.retry },
    deadLetter: { ...decorated.deadLetter, ...override.deadLetter },
    rdkafka: { ...decorated.rdkafka, ...override.rdkafka },
  };
}

function tracingOf(given: BatchListenerOptions['tracing']): Partial<TracingOptions> {
  return typeof given === 'boolean' ? { enabled: given } : (given ?? {});
}

function resolveExactlyOnce(given: BatchListenerOptions['exactlyOnce']): ExactlyOnceOptions | undefined {
  if (given === undefined || given === false) return undefined;
  return { dataSource: 'default', table: DEFAULT_OFFSETS_TABLE, ...(given === true ? {} : given) };
}
