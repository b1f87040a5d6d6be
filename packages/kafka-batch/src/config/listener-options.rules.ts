import type {
  BatchListenerOptions,
  ResolvedListenerOptions,
} from '../interfaces/batch-listener-options.interface';
import { validationPackagesProblem } from '../records/record.validator';
import {
  aFunction,
  aRegExp,
  describeValue,
  integerIn,
  matching,
  nonEmptyString,
  nonEmptyStringList,
  oneOf,
  optional,
  optionProblem,
  OptionRules,
  orFunction,
  trueOrFalse,
  when,
} from './option.rules';
import { BROKER_OWNED_UNDER_CONSUMER_PROTOCOL, ownedRdkafkaProblems } from './owned-rdkafka.properties';

const SQL_TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** What a listener runs with: every value after the defaults were applied. */
export const RESOLVED_LISTENER_RULES: OptionRules<ResolvedListenerOptions> = {
  values: {
    groupId: nonEmptyString('must be a non-empty string (the consumer group id)'),
    topics: when(
      (o: ResolvedListenerOptions) => o.topicPattern === undefined,
      nonEmptyStringList('must be a non-empty list of topic names (or set topicPattern)'),
    ),
    topicPattern: optional(aRegExp),
    maxPollRecords: integerIn(1, 100_000),
    fetchMinBytes: integerIn(1, 100 * 1024 * 1024),
    fetchMaxWaitMs: integerIn(0, 300_000),
    concurrency: integerIn(1, 1024),
    sessionTimeoutMs: integerIn(1_000, 3_600_000),
    heartbeatIntervalMs: integerIn(100, 3_600_000),
    maxPollIntervalMs: integerIn(1_000, 86_400_000),
    maxBatchDurationMs: integerIn(100, 86_400_000),
    maxInFlightRecords: integerIn(1, 10_000_000),
    maxInFlightBytes: integerIn(1024, 2 ** 31 - 1),
    commitIntervalMs: integerIn(0, 3_600_000),
    shutdownTimeoutMs: integerIn(0, 3_600_000),
    rebalanceListenerTimeoutMs: integerIn(1, 600_000),
    autoOffsetReset: oneOf('earliest', 'latest', 'error'),
    ackMode: oneOf('manual', 'batch', 'record'),
    listenerType: oneOf('batch', 'record'),
    deserializer: orFunction(oneOf('json', 'string', 'raw')),
    validate: optional(aFunction('must be a class-validator DTO class')),
    'valueLimits.maxBytes': integerIn(1, 2 ** 31 - 1),
    'valueLimits.maxKeys': integerIn(1, 100_000_000),
    'valueLimits.maxDepth': integerIn(1, 100_000),
    autoStartup: trueOrFalse,
    assignor: oneOf('cooperative-sticky', 'range', 'roundrobin'),
    groupProtocol: oneOf('classic', 'consumer'),
    groupInstanceId: optional(nonEmptyString("must be a string, 'auto' or false")),
    'retry.attempts': integerIn(1, 1000),
    'retry.transient': aFunction('must be a function from an error to true (transient) or false'),
    'retry.bisect': trueOrFalse,
    'deadLetter.enabled': trueOrFalse,
    'deadLetter.topic': aFunction('must be a function from the source topic to the dead-letter topic'),
    'deadLetter.stackTrace': oneOf('application', 'none', 'full'),
    'tracing.enabled': trueOrFalse,
    'tracing.maxLinks': integerIn(0, 100_000),
    'exactlyOnce.dataSource': when(
      (o: ResolvedListenerOptions) => o.exactlyOnce !== undefined,
      nonEmptyString('must be the name of a TypeORM data source'),
    ),
    'exactlyOnce.table': when(
      (o: ResolvedListenerOptions) => o.exactlyOnce !== undefined,
      matching(SQL_TABLE_NAME, 'must be a table name, optionally schema-qualified (letters, digits, _)'),
    ),
  },
  relations: [
    (o) =>
      o.groupProtocol === 'classic' && o.heartbeatIntervalMs > o.sessionTimeoutMs / 3
        ? optionProblem(
            'heartbeatIntervalMs',
            `must be at most a third of sessionTimeoutMs (${Math.floor(o.sessionTimeoutMs / 3)})`,
            o.heartbeatIntervalMs,
          )
        : undefined,
    (o) =>
      o.maxInFlightRecords < o.maxPollRecords
        ? optionProblem(
            'maxInFlightRecords',
            `must be at least maxPollRecords (${o.maxPollRecords})`,
            o.maxInFlightRecords,
          )
        : undefined,
    (o) =>
      o.topics.length > 0 && o.topicPattern
        ? 'options "topics" and "topicPattern" exclude each other: set one'
        : undefined,
    ({ retry: { initialDelayMs, multiplier, maxDelayMs } }) =>
      initialDelayMs >= 0 && maxDelayMs >= initialDelayMs && multiplier >= 1
        ? undefined
        : `options "retry" need initialDelayMs >= 0, maxDelayMs >= initialDelayMs and multiplier >= 1 (got ${describeValue({ initialDelayMs, multiplier, maxDelayMs })})`,
    (o) => ownedRdkafkaProblems(o.rdkafka, o.groupProtocol),
    (o) => (o.validate ? validationPackagesProblem() : undefined),
    (o) =>
      o.listenerType === 'batch' && o.ackMode === 'record'
        ? `option "ackMode" 'record' needs listenerType 'record': a batch listener is acknowledged per batch ('batch') or by its handler ('manual')`
        : undefined,
    (o) => retryTopicsProblem(o),
    (o) =>
      o.exactlyOnce && o.ackMode === 'manual'
        ? `option "ackMode" must be 'batch' or 'record' with exactlyOnce: the transaction commits everything the handler wrote, so a partial acknowledgment cannot be honoured (got 'manual')`
        : undefined,
  ],
};

const MAX_RETRY_DELAY_MS = 7 * 24 * 3_600_000;

function retryTopicsProblem({ retryTopics, topicPattern, deadLetter, exactlyOnce }: ResolvedListenerOptions) {
  if (retryTopics === undefined) return undefined;
  const delays = (retryTopics as { delaysMs?: unknown }).delaysMs;
  if (
    !Array.isArray(delays) ||
    delays.length === 0 ||
    !delays.every((d) => Number.isInteger(d) && d >= 1 && d <= MAX_RETRY_DELAY_MS) ||
    new Set(delays).size !== delays.length
  )
    return optionProblem(
      'retryTopics.delaysMs',
      `must be a non-empty list of distinct integers in 1..${MAX_RETRY_DELAY_MS} (ms; one retry topic each)`,
      delays,
    );
  if (topicPattern) return 'option "retryTopics" needs "topics": the retry topics are named after each topic';
  if (!deadLetter.enabled)
    return 'option "retryTopics" needs deadLetter.enabled: a record goes to the dead-letter topic after the last retry topic';
  if (exactlyOnce)
    return 'option "retryTopics" cannot be combined with exactlyOnce: a record moved to a retry topic leaves the database transaction behind';
  return undefined;
}

/** What the application wrote (module defaults under the listener's options), before defaults. */
export const GIVEN_LISTENER_RULES: OptionRules<BatchListenerOptions> = {
  relations: [
    ({ tracing }) =>
      tracing === undefined ||
      typeof tracing === 'boolean' ||
      (typeof tracing === 'object' && tracing !== null)
        ? undefined
        : optionProblem('tracing', 'must be true, false or { enabled, maxLinks }', tracing),
    (given) =>
      given.groupProtocol === 'consumer'
        ? BROKER_OWNED_UNDER_CONSUMER_PROTOCOL.filter(({ option }) => given[option] !== undefined).map(
            ({ option, why }) => `option "${option}" is not allowed with groupProtocol 'consumer': ${why}`,
          )
        : undefined,
  ],
};
