import {
  Assignment,
  CODES,
  ConsumerGlobalConfig,
  ConsumerTopicConfig,
  KafkaConsumer,
  LibrdKafkaError,
  TopicPartitionOffset as RdTopicPartitionOffset,
} from '@confluentinc/kafka-javascript';
import { partitionKey, TopicPartition, TopicPartitionOffset } from '../common/topic-partition';
import type { LibrdkafkaConfig } from '../interfaces/batch-listener-options.interface';
import type { RawRecord } from '../interfaces/raw-record.interface';
import {
  authenticationFailureInLog,
  describeAuthenticationFailure,
  isAuthenticationError,
} from './authentication.failure';
import type { ConsumerClient, ConsumerEvents } from './consumer.client';
import { fromCallback, RdKafkaConsumer } from './rdkafka.types';

const CONNECT_TIMEOUT_MS = 30_000;
const SEEK_TIMEOUT_MS = 10_000;
const OFFSET_LOOKUP_TIMEOUT_MS = 10_000;

interface ClientLog {
  severity: number;
  fac: string;
  message: string;
}

/** Said when the broker refuses to let the consumer join; librdkafka goes on trying. */
const INCONSISTENT_PROTOCOL_HINT =
  "the group's members use another assignment protocol (KafkaJS instances on Transport.KAFKA, or another assignor): this consumer joins once they have left; stop them first (docs/MIGRATING.md)";

/**
 * The ConsumerClient on librdkafka's KafkaConsumer. It owns the callbacks librdkafka must be
 * configured with (rebalance, commit answers, errors and logs) and turns them into ConsumerEvents.
 */
export class RdKafkaConsumerClient implements ConsumerClient {
  private readonly consumer: RdKafkaConsumer;

  constructor(
    private readonly config: LibrdkafkaConfig,
    topicConfig: ConsumerTopicConfig,
    private readonly events: ConsumerEvents,
    private readonly consumeTimeoutMs: number,
  ) {
    this.consumer = new KafkaConsumer(
      {
        ...(config as ConsumerGlobalConfig),
        rebalance_cb: (err: LibrdKafkaError, assignment: Assignment[]) => this.onRebalance(err, assignment),
        offset_commit_cb: true,
        // librdkafka's warnings and errors reach the application log; the fatal reason comes this way.
        event_cb: true,
      },
      topicConfig,
    ) as RdKafkaConsumer;
    this.consumer.on('event.error', (err) => this.onError(err));
    this.consumer.on('event.log', (log: ClientLog) => this.onLog(log));
    this.consumer.on('offset.commit', (err, offsets) => this.onCommitAnswer(err, offsets));
  }

  async connect(): Promise<void> {
    await fromCallback((done) => this.consumer.connect({ timeout: CONNECT_TIMEOUT_MS }, done));
    this.consumer.setDefaultConsumeTimeout(this.consumeTimeoutMs);
    this.consumer.setDefaultIsTimeoutOnlyForFirstMessage(true);
  }

  subscribe(subscription: readonly string[] | RegExp): void {
    this.consumer.subscribe(Array.isArray(subscription) ? [...subscription] : [subscription as RegExp]);
  }

  async consume(max: number): Promise<RawRecord[]> {
    try {
      return await fromCallback<RawRecord[]>((done) => this.consumer.consume(max, done));
    } catch (err) {
      this.onError(err as LibrdKafkaError);
      throw err;
    }
  }

  commit(offsets: readonly TopicPartitionOffset[]): void {
    this.consumer.commit(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
  }

  seek({ topic, partition, offset }: TopicPartitionOffset): Promise<void> {
    return fromCallback((done) => this.consumer.seek({ topic, partition, offset }, SEEK_TIMEOUT_MS, done));
  }

  async offsetForTime({ topic, partition }: TopicPartition, timestamp: number): Promise<number> {
    const [found] = await fromCallback<RdTopicPartitionOffset[]>((done) =>
      this.consumer.offsetsForTimes(
        [{ topic, partition, offset: timestamp }],
        OFFSET_LOOKUP_TIMEOUT_MS,
        done,
      ),
    );
    return found.offset;
  }

  committed(partitions: readonly TopicPartition[], timeoutMs: number): Promise<TopicPartitionOffset[]> {
    return fromCallback((done) => this.consumer.committed([...partitions], timeoutMs, done));
  }

  pause(partitions: readonly TopicPartition[]): void {
    this.consumer.pause(partitions.map(({ topic, partition }) => ({ topic, partition })));
  }

  resume(partitions: readonly TopicPartition[]): void {
    this.consumer.resume(partitions.map(({ topic, partition }) => ({ topic, partition })));
  }

  assign(partitions: readonly TopicPartition[]): void {
    const assignment = partitions.map(({ topic, partition }) => ({ topic, partition }));
    if (this.cooperative) this.consumer.incrementalAssign(assignment);
    else this.consumer.assign(assignment);
  }

  unassign(partitions: readonly TopicPartition[]): void {
    try {
      if (this.cooperative)
        this.consumer.incrementalUnassign(partitions.map(({ topic, partition }) => ({ topic, partition })));
      else this.consumer.unassign();
    } catch (err) {
      // A consumer that disconnected meanwhile has let them go already.
      if (this.consumer.isConnected()) throw err;
    }
  }

  async disconnect(): Promise<void> {
    await fromCallback((done) => this.consumer.disconnect(done));
  }

  private get cooperative(): boolean {
    return this.consumer.rebalanceProtocol() === 'COOPERATIVE';
  }

  private onRebalance(err: LibrdKafkaError, assignment: Assignment[]): void {
    const partitions = assignment.map(({ topic, partition }) => ({ topic, partition }));
    if (err.code === CODES.ERRORS.ERR__ASSIGN_PARTITIONS)
      this.events.rebalanced({ kind: 'assign', partitions });
    else if (err.code === CODES.ERRORS.ERR__REVOKE_PARTITIONS)
      this.events.rebalanced({ kind: 'revoke', partitions, lost: this.consumer.assignmentLost() });
    else this.events.rebalanced({ kind: 'error', message: err.message });
  }

  private onCommitAnswer(
    error: LibrdKafkaError | null | undefined,
    offsets: (RdTopicPartitionOffset & { error?: unknown })[] | undefined,
  ): void {
    const rejected = new Set(
      (offsets ?? []).filter((o) => o.error).map(({ topic, partition }) => partitionKey(topic, partition)),
    );
    this.events.commitAnswered({ error: error ? new Error(error.message) : undefined, rejected });
  }

  /**
   * A fenced static member does not heal by retrying: librdkafka says "Local: Fatal error" on the
   * consume path and gives the reason in its FATAL log line. Nor do refused credentials, which
   * librdkafka retries for ever (as Spring Kafka does by default, the listener stops instead).
   */
  private onError(err: LibrdKafkaError): void {
    if (err.code === CODES.ERRORS.ERR__FATAL || (err as { isFatal?: boolean }).isFatal === true)
      this.events.failed(err.message);
    else if (isAuthenticationError(err)) this.events.failed(describeAuthenticationFailure(this.config));
    else if (err.code === CODES.ERRORS.ERR_INCONSISTENT_GROUP_PROTOCOL)
      this.events.warned(`client error: ${err.message}: ${INCONSISTENT_PROTOCOL_HINT}`, 'warn');
    else this.events.warned(`client error: ${err.message}`, 'warn');
  }

  private onLog({ severity, fac, message }: ClientLog): void {
    if (fac === 'FATAL') return this.events.failed(message.replace(/^\[thrd:[^\]]*\]: /, ''));
    const refused = authenticationFailureInLog({ fac, message });
    if (refused !== undefined) return this.events.failed(describeAuthenticationFailure(this.config, refused));
    this.events.warned(`librdkafka ${fac}: ${message}`, severity <= 3 ? 'error' : 'warn');
  }
}
