import {
  AdminClient,
  IAdminClient,
  Producer,
  ProducerGlobalConfig,
  ProducerTopicConfig,
} from '@confluentinc/kafka-javascript';
import { Logger } from '@nestjs/common';
import { fromCallback } from '../client/rdkafka.types';
import { asError } from '../common/errors';
import type { DeadLetterStackTrace, LibrdkafkaConfig } from '../interfaces/batch-listener-options.interface';
import { traceDeadLetter } from '../tracing/dead-letter.tracer';
import { publishWithFallback } from './dead-letter.fallback';
import type { DeadLetterRecord } from './dead-letter.record';
import { DEFAULT_DEAD_LETTER_STACK_TRACE } from './dead-letter.stack-trace';
import { DeadLetterTopics } from './dead-letter.topics';
import type { DeadLetter, DeadLetterResult, Provenance } from './dead-letter.types';

export { DLT_HEADERS } from './dead-letter.headers';
export type { DeadLetter, DeadLetterPart, DeadLetterResult } from './dead-letter.types';

const DELIVERY_TIMEOUT_MS = 30_000;

/** The settings of the producer a DeadLetterPublisher is given, on top of the module's common ones. */
export function deadLetterProducerConfig(
  commonConfig: LibrdkafkaConfig,
): ProducerGlobalConfig & ProducerTopicConfig {
  return {
    ...commonConfig,
    // The producer's own retries neither duplicate nor reorder dead letters.
    'enable.idempotence': true,
    acks: -1,
    'linger.ms': 5,
    // An unconfirmed dead letter fails within this bound (instead of librdkafka's five minutes),
    // so the batch logs it, retries it, or gives up when its partition was revoked meanwhile.
    'message.timeout.ms': DELIVERY_TIMEOUT_MS,
    dr_cb: true,
  };
}

interface PendingDelivery {
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Publishes failed records to their dead-letter topic (created like its source topic when
 * missing) and reports, letter by letter, what the broker confirmed: the caller may let the offset
 * pass those, and publishes only the failed ones again.
 */
export class DeadLetterPublisher {
  private readonly logger = new Logger(DeadLetterPublisher.name);
  private readonly pending = new Map<number, PendingDelivery>();
  private readonly provenance: Provenance;
  private admin: IAdminClient | undefined;
  private nextId = 0;
  private connected: Promise<DeadLetterTopics> | undefined;
  /** Sends meant to be in no batch with another: each waits for the previous one's delivery report. */
  private sendingAlone: Promise<unknown> = Promise.resolve();

  /** `producer`: created from deadLetterProducerConfig(); connected on first use, disconnected by close(). */
  constructor(
    private readonly producer: Producer,
    groupId: string,
    private readonly topicFor: (sourceTopic: string) => string,
    stackTrace: DeadLetterStackTrace = DEFAULT_DEAD_LETTER_STACK_TRACE,
  ) {
    this.provenance = { groupId, stackTrace };
    this.producer.on('delivery-report', (err, report) => {
      const delivery = this.pending.get(report.opaque as number);
      if (!delivery) return;
      this.pending.delete(report.opaque as number);
      if (err) delivery.reject(Object.assign(new Error(err.message), { code: err.code }));
      else delivery.resolve();
    });
  }

  /** One result per letter, in order; never rejects. */
  publish(letters: readonly DeadLetter[]): Promise<DeadLetterResult[]> {
    return Promise.all(letters.map((letter) => this.publishOne(letter)));
  }

  async close(): Promise<void> {
    if (!this.connected) return;
    await fromCallback((done) => this.producer.flush(10_000, done)).catch(() => undefined);
    this.admin?.disconnect();
    // The client's poll timer keeps firing until 'disconnected'; a poll that lands while the native
    // disconnect tears the handle down aborts the process ("pure virtual method called").
    this.producer.setPollInterval(0);
    await fromCallback((done) => this.producer.disconnect(done)).catch(() => undefined);
  }

  private async publishOne(letter: DeadLetter): Promise<DeadLetterResult> {
    try {
      const topics = await this.connect();
      const topic = this.topicFor(letter.raw.topic);
      const partitions = await topics.partitionCount(topic, letter.raw.topic);
      const partition = letter.raw.partition < partitions ? letter.raw.partition : null;
      return await traceDeadLetter(letter, topic, (traced) =>
        publishWithFallback(traced, this.provenance, (record, alone) =>
          alone ? this.sendAlone(topic, partition, record) : this.send(topic, partition, record),
        ),
      );
    } catch (err) {
      return { status: 'failed', error: asError(err) };
    }
  }

  private connect(): Promise<DeadLetterTopics> {
    this.connected ??= fromCallback((done) => this.producer.connect({}, done)).then(() => {
      this.producer.setPollInterval(10);
      this.admin = AdminClient.createFrom(this.producer);
      return new DeadLetterTopics(this.admin, this.logger);
    });
    return this.connected.catch((err) => {
      this.connected = undefined;
      throw err;
    });
  }

  private sendAlone(topic: string, partition: number | null, record: DeadLetterRecord): Promise<void> {
    const sent = this.sendingAlone.then(() => this.send(topic, partition, record));
    this.sendingAlone = sent.catch(() => undefined);
    return sent;
  }

  private send(
    topic: string,
    partition: number | null,
    { value, key, headers }: DeadLetterRecord,
  ): Promise<void> {
    const id = this.nextId++;
    const delivered = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    try {
      // No timestamp, as in Spring Kafka: the dead letter is stamped now, the original time is in a
      // header. The source's own would let retention delete an old record's dead letter at once,
      // and a topic bounding timestamps reject it.
      this.producer.produce(topic, partition, value, key, null, id, headers);
    } catch (err) {
      this.pending.delete(id);
      return Promise.reject(err as Error);
    }
    return delivered;
  }
}
