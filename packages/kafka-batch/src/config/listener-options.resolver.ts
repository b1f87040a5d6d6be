import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type {
  BatchListenerOptions,
  DeadLetterOptions,
  ResolvedListenerOptions,
  RetryOptions,
} from '../interfaces/batch-listener-options.interface';
import type { KafkaBatchModuleOptions } from '../interfaces/kafka-batch-module-options.interface';
import { isTransientError } from '../failure/transient-error.classifier';
import { resolveGroupInstanceId } from '../membership/group-instance-id';
import { ListenerOptionsSchema } from './listener-options.schema';

/**
 * Every backpressure pause makes librdkafka drop what it had prefetched and fetch it again (about
 * one fetch.wait.max.ms): a budget of a few small batches would pause every other batch.
 */
const MIN_DEFAULT_IN_FLIGHT_RECORDS = 10_000;

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
const DEAD_LETTER_DEFAULTS: DeadLetterOptions = { enabled: true, topic: (topic) => `${topic}.DLT` };

function describe(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (value instanceof RegExp) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/**
 * Merges a listener's options over the module defaults and the library defaults, and rejects
 * anything invalid with an error naming the listener, the option and the allowed values.
 */
export function resolveListenerOptions(
  listenerId: string,
  own: BatchListenerOptions,
  module: Pick<KafkaBatchModuleOptions, 'defaults'> = {},
): ResolvedListenerOptions {
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
    deserializer: merged.deserializer ?? 'json',
    validate: merged.validate,
    retry: { ...RETRY_DEFAULTS, ...module.defaults?.retry, ...own.retry },
    deadLetter: { ...DEAD_LETTER_DEFAULTS, ...module.defaults?.deadLetter, ...own.deadLetter },
    maxInFlightRecords:
      merged.maxInFlightRecords ?? Math.max(4 * maxPollRecords * concurrency, MIN_DEFAULT_IN_FLIGHT_RECORDS),
    maxInFlightBytes: merged.maxInFlightBytes ?? 64 * 1024 * 1024,
    shutdownTimeoutMs: merged.shutdownTimeoutMs ?? 30_000,
    autoStartup: merged.autoStartup ?? true,
    groupInstanceId: resolveGroupInstanceId(merged.groupInstanceId, listenerId),
    assignor: merged.assignor ?? 'cooperative-sticky',
    groupProtocol: merged.groupProtocol ?? 'classic',
    rebalanceListener: merged.rebalanceListener,
    rebalanceListenerTimeoutMs: merged.rebalanceListenerTimeoutMs ?? 10_000,
    rdkafka: { ...module.defaults?.rdkafka, ...own.rdkafka },
  };

  const problems = validateSync(plainToInstance(ListenerOptionsSchema, resolved), {
    forbidUnknownValues: false,
  }).map((error) => {
    const message = Object.values(error.constraints ?? {})[0];
    return `option "${error.property}" ${message} (got ${describe(error.value)})`;
  });
  problems.push(...crossFieldProblems(resolved), ...consumerProtocolProblems(merged));
  if (problems.length > 0) {
    throw new KafkaBatchConfigError(`@BatchListener "${listenerId}": ${problems.join('; ')}`);
  }
  return resolved;
}

/** KIP-848 moves assignment and session timing to the broker: setting them is a mistake to report. */
function consumerProtocolProblems(merged: BatchListenerOptions): string[] {
  if (merged.groupProtocol !== 'consumer') return [];
  const forbidden: [keyof BatchListenerOptions, string][] = [
    [
      'assignor',
      'the broker assigns partitions (set group.remote.assignor through rdkafka to choose its assignor)',
    ],
    ['sessionTimeoutMs', 'the broker sets it (group.consumer.session.timeout.ms)'],
    ['heartbeatIntervalMs', 'the broker sets it (group.consumer.heartbeat.interval.ms)'],
  ];
  const rdkafka = merged.rdkafka ?? {};
  return [
    ...forbidden
      .filter(([option]) => merged[option] !== undefined)
      .map(([option, why]) => `option "${option}" is not allowed with groupProtocol 'consumer': ${why}`),
    ...['partition.assignment.strategy', 'session.timeout.ms', 'heartbeat.interval.ms']
      .filter((property) => property in rdkafka)
      .map((property) => `rdkafka property "${property}" is not allowed with groupProtocol 'consumer'`),
  ];
}

function crossFieldProblems(o: ResolvedListenerOptions): string[] {
  const problems: string[] = [];
  if (o.groupProtocol === 'classic' && o.heartbeatIntervalMs > o.sessionTimeoutMs / 3) {
    problems.push(
      `option "heartbeatIntervalMs" must be at most a third of sessionTimeoutMs (${Math.floor(o.sessionTimeoutMs / 3)}) (got ${o.heartbeatIntervalMs})`,
    );
  }
  if (o.maxInFlightRecords < o.maxPollRecords) {
    problems.push(
      `option "maxInFlightRecords" must be at least maxPollRecords (${o.maxPollRecords}) (got ${o.maxInFlightRecords})`,
    );
  }
  if (o.topics.length > 0 && o.topicPattern) {
    problems.push('options "topics" and "topicPattern" exclude each other: set one');
  }
  const { attempts, initialDelayMs, multiplier, maxDelayMs } = o.retry;
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 1000) {
    problems.push(`option "retry.attempts" must be an integer in 1..1000 (got ${describe(attempts)})`);
  }
  if (!(initialDelayMs >= 0) || !(maxDelayMs >= initialDelayMs) || !(multiplier >= 1)) {
    problems.push(
      `options "retry" need initialDelayMs >= 0, maxDelayMs >= initialDelayMs and multiplier >= 1 (got ${describe({ initialDelayMs, multiplier, maxDelayMs })})`,
    );
  }
  if (typeof o.retry.transient !== 'function') {
    problems.push('option "retry.transient" must be a function from an error to true (transient) or false');
  }
  if (typeof o.retry.bisect !== 'boolean') {
    problems.push(`option "retry.bisect" must be true or false (got ${describe(o.retry.bisect)})`);
  }
  if (typeof o.deadLetter.topic !== 'function') {
    problems.push(
      'option "deadLetter.topic" must be a function from the source topic to the dead-letter topic',
    );
  }
  return problems;
}
