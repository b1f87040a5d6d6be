import type { InjectionToken } from '@nestjs/common';
import type { RawRecord } from './raw-record.interface';

/**
 * Who commits, and when: 'batch', after the handler returned for the whole batch; 'record', after
 * each record (record listeners); 'manual', what the handler acknowledges.
 */
export type AckMode = 'manual' | 'batch' | 'record';

/** What the handler receives: the batch, or one record per invocation (Spring's record listener). */
export type ListenerType = 'batch' | 'record';

export type AutoOffsetReset = 'earliest' | 'latest' | 'error';

/**
 * How record values are decoded: JSON (default), UTF-8 text, raw bytes, or a function, which may
 * return a Promise (a schema registry lookup): the records of a batch are awaited side by side.
 */
export type ValueDeserializer =
  'json' | 'string' | 'raw' | ((value: Buffer | null, record: RawRecord) => unknown);

export type Assignor = 'cooperative-sticky' | 'range' | 'roundrobin';

/** `classic` group protocol, or Kafka 4's `consumer` protocol (KIP-848: the broker assigns). */
export type GroupProtocol = 'classic' | 'consumer';

export type LibrdkafkaConfig = Record<string, string | number | boolean>;

export interface RetryOptions {
  /** Handler invocations per failing record or batch, the first included (1 = no retry). Default 3. */
  attempts: number;
  /** Delay before the second attempt. Default 200 ms. */
  initialDelayMs: number;
  /** Each next delay is multiplied by this. Default 2. */
  multiplier: number;
  /** Upper bound of one delay. Default 10 s. */
  maxDelayMs: number;
  /**
   * Failures that say nothing about the records (a database or network outage): the records are
   * delivered again after a growing backoff, as long as it lasts, never counted as attempts and
   * never dead-lettered. Default: lost or refused connections and retryable database states.
   */
  transient: (error: unknown) => boolean;
  /**
   * When a batch of several records fails every attempt, split it in halves and handle each once
   * more, down to the single records that fail: only those are dead-lettered. Default true.
   */
  bisect: boolean;
}

export interface DeadLetterOptions {
  /** Publish records that exhausted their retries or failed to decode. Default true. */
  enabled: boolean;
  /** Target topic for a source topic. Default `<topic>.DLT`. */
  topic: (sourceTopic: string) => string;
  /**
   * The frames of the `kafka_dlt-exception-stacktrace` header, after the error's name and message.
   * Default 'application': the first 5 outside node_modules and Node's internals, paths relative
   * to the working directory. 'full': the stack as thrown (install paths, dependency versions);
   * 'none': no frames.
   */
  stackTrace: DeadLetterStackTrace;
}

export type DeadLetterStackTrace = 'full' | 'application' | 'none';

/**
 * Bounds on one record's value, checked before it is validated or handed over: a value beyond them
 * goes to the dead-letter topic with the limit it broke, so no single record can hold the event
 * loop for long.
 */
export interface ValueLimits {
  /** Bytes of the serialized value. Default 1 MiB (the broker's default message.max.bytes). */
  maxBytes: number;
  /** Object keys plus array elements, counted at every depth. Default 10,000. */
  maxKeys: number;
  /** Nesting of objects and arrays (a flat object is 1). Default 64. */
  maxDepth: number;
}

/**
 * The exactly-once mode: each handler invocation runs in a transaction of a TypeORM DataSource
 * that also stores the batch's next offsets (compare-and-set), and assigned partitions start
 * where that table says. Rows and aggregates written through the transaction are counted once.
 */
export interface ExactlyOnceOptions {
  /** The TypeORM data source, by the name given to TypeOrmModule.forRoot. Default 'default'. */
  dataSource: string;
  /** The offsets table (see offsetsTableDdl / KafkaBatchOffsetsMigration). Default 'kafka_batch_offsets'. */
  table: string;
}

/**
 * OpenTelemetry tracing of handler invocations, through `@opentelemetry/api` when the application
 * has it (an optional peer; without an SDK registered its spans cost next to nothing).
 */
export interface TracingOptions {
  /** One `process` span per handler invocation. Default true (when @opentelemetry/api is installed). */
  enabled: boolean;
  /** Links to records' creation contexts per batch span at most; the rest are counted. Default 128. */
  maxLinks: number;
}

export interface RetryTopicsOptions {
  /** One retry topic per delay, in ms, in the order a record goes through them; distinct values. */
  delaysMs: number[];
}

export interface BatchListenerOptions {
  /** Unique listener name (logs, health, metrics). Default `<Class>.<method>`. */
  id?: string;
  topics?: string[];
  /** Subscribe by pattern instead of a topic list. */
  topicPattern?: RegExp;
  groupId?: string;
  /** Records per batch at most (Kafka's max.poll.records). 1..100000, default 500. */
  maxPollRecords?: number;
  /** fetch.min.bytes. Default 1 MB. */
  fetchMinBytes?: number;
  /** fetch.wait.max.ms. Default 500. */
  fetchMaxWaitMs?: number;
  /** Batches handled at once; a partition is never in two batches at the same time. Default 1. */
  concurrency?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  maxPollIntervalMs?: number;
  /** Longest a batch may run before liveness reports the listener stuck. Default maxPollIntervalMs. */
  maxBatchDurationMs?: number;
  autoOffsetReset?: AutoOffsetReset;
  /** Default 'batch'. With listenerType 'record': 'batch', 'record' or 'manual', per record. */
  ackMode?: AckMode;
  /** 'batch' (default) or 'record': the handler takes `(record, ack)`. ackMode 'record' alone implies 'record'. */
  listenerType?: ListenerType;
  deserializer?: ValueDeserializer;
  /** A class-validator DTO class; records that fail it go to the dead-letter topic with the reason. */
  validate?: new (...args: never[]) => object;
  /** Limits on each record's value (decoded values that are objects or arrays: keys and depth too). */
  valueLimits?: Partial<ValueLimits>;
  retry?: Partial<RetryOptions>;
  deadLetter?: Partial<DeadLetterOptions>;
  /**
   * Non-blocking retries: after its in-place attempts a failing record goes to `<topic>-retry-<delay>`
   * for each delay in turn, then to the dead-letter topic; the listener consumes the retry topics and
   * hands a record over once its delay has passed, pausing only that retry partition meanwhile.
   */
  retryTopics?: RetryTopicsOptions;
  /** In-flight budget (fetched, not yet done). Default 4 × maxPollRecords × concurrency records, at least 10,000. */
  maxInFlightRecords?: number;
  /** In-flight budget in bytes of record payload. Default 64 MiB. */
  maxInFlightBytes?: number;
  /**
   * At most one Kafka offset commit per this many ms: what is done meanwhile goes in the next one.
   * 0 commits after every batch (asynchronously, one commit in flight). Default 0; with
   * `exactlyOnce` 100, as the database holds the offsets and Kafka's only report progress.
   */
  commitIntervalMs?: number;
  /** Time allowed for in-flight batches to finish at shutdown or revoke. Default 30 s. */
  shutdownTimeoutMs?: number;
  /** Start with the application. Default true. */
  autoStartup?: boolean;
  /**
   * Static membership id (group.instance.id). Default: `<POD_NAME>-<listener id>` when POD_NAME is
   * set, else none. 'auto' also falls back to HOSTNAME; false turns it off.
   */
  groupInstanceId?: string | false;
  /** Partition assignment under the classic protocol. Default 'cooperative-sticky'. */
  assignor?: Assignor;
  /** Default 'classic'. 'consumer' (KIP-848, Kafka 4+) rejects assignor, sessionTimeoutMs, heartbeatIntervalMs. */
  groupProtocol?: GroupProtocol;
  /** A provider (class or token) implementing KafkaRebalanceListener. */
  rebalanceListener?: InjectionToken;
  /** Time each rebalance listener hook may take. Default 10 s. */
  rebalanceListenerTimeoutMs?: number;
  /**
   * Exactly-once into the database: true (default data source and table) or the options. The
   * handler takes the transaction with @BatchTransaction(); ackMode must be 'batch' or 'record'.
   */
  exactlyOnce?: boolean | Partial<ExactlyOnceOptions>;
  /** OpenTelemetry spans per invocation: true, false or the options. Default on when @opentelemetry/api is installed. */
  tracing?: boolean | Partial<TracingOptions>;
  /** Any librdkafka consumer property, applied last (escape hatch). */
  rdkafka?: LibrdkafkaConfig;
}

/** Options after defaults are applied and validated: what a container runs with. */
export interface ResolvedListenerOptions extends Required<
  Omit<
    BatchListenerOptions,
    | 'topics'
    | 'topicPattern'
    | 'validate'
    | 'valueLimits'
    | 'retry'
    | 'deadLetter'
    | 'groupInstanceId'
    | 'rebalanceListener'
    | 'exactlyOnce'
    | 'tracing'
    | 'retryTopics'
  >
> {
  topics: string[];
  groupInstanceId: string | undefined;
  rebalanceListener: InjectionToken | undefined;
  topicPattern: RegExp | undefined;
  validate: (new (...args: never[]) => object) | undefined;
  valueLimits: ValueLimits;
  retry: RetryOptions;
  deadLetter: DeadLetterOptions;
  exactlyOnce: ExactlyOnceOptions | undefined;
  tracing: TracingOptions;
  retryTopics: RetryTopicsOptions | undefined;
}
