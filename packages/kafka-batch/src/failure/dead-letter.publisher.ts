import { AdminClient, CODES, IAdminClient, MessageHeader, Producer } from '@confluentinc/kafka-javascript';
import { Logger } from '@nestjs/common';
import { fromCallback } from '../client/rdkafka.types';
import type { LibrdkafkaConfig } from '../interfaces/batch-listener-options.interface';
import type { RawRecord } from '../interfaces/raw-record.interface';

/** Header names follow Spring Kafka's DeadLetterPublishingRecoverer, plus the attempt count. */
export const DLT_HEADERS = {
  originalTopic: 'kafka_dlt-original-topic',
  originalPartition: 'kafka_dlt-original-partition',
  originalOffset: 'kafka_dlt-original-offset',
  originalTimestamp: 'kafka_dlt-original-timestamp',
  originalConsumerGroup: 'kafka_dlt-original-consumer-group',
  exceptionClass: 'kafka_dlt-exception-fqcn',
  exceptionMessage: 'kafka_dlt-exception-message',
  exceptionStacktrace: 'kafka_dlt-exception-stacktrace',
  attempts: 'kafka_dlt-attempts',
} as const;

import type { DeadLetter, DeadLetterResult } from './dead-letter.types';
export type { DeadLetter } from './dead-letter.types';

/** Placeholder until the publisher rework lands. */
export function deadLetterProducerConfig(common: LibrdkafkaConfig): LibrdkafkaConfig {
  return {
    ...common,
    'enable.idempotence': true,
    acks: -1,
    'linger.ms': 5,
    'message.timeout.ms': DELIVERY_TIMEOUT_MS,
    dr_cb: true,
  };
}

const DELIVERY_TIMEOUT_MS = 30_000;

interface PendingDelivery {
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * Publishes failed records to their dead-letter topic (created like its source topic when
 * missing) and resolves only when the broker has acknowledged every one: the caller may then
 * let the offset pass them.
 */
export class DeadLetterPublisher {
  private readonly logger = new Logger(DeadLetterPublisher.name);
  private readonly producer: Producer;
  private admin: IAdminClient | undefined;
  private readonly pending = new Map<number, PendingDelivery>();
  private readonly partitionCounts = new Map<string, Promise<number>>();
  private nextId = 0;
  private connected: Promise<void> | undefined;

  constructor(
    producer: Producer,
    private readonly groupId: string,
    private readonly topicFor: (sourceTopic: string) => string,
  ) {
    this.producer = producer;
    this.producer.on('delivery-report', (err, report) => {
      const delivery = this.pending.get(report.opaque as number);
      if (!delivery) return;
      this.pending.delete(report.opaque as number);
      if (err) delivery.reject(Object.assign(new Error(err.message), { code: err.code }));
      else delivery.resolve();
    });
  }

  async publish(letters: readonly DeadLetter[]): Promise<DeadLetterResult[]> {
    try {
      await this.publishAll(letters);
      return letters.map(() => ({ status: 'published' }));
    } catch (error) {
      return letters.map(() => ({ status: 'failed', error: error as Error }));
    }
  }

  private async publishAll(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    await this.connect();
    const deliveries = await Promise.all(
      letters.map(async (letter) => {
        const topic = this.topicFor(letter.raw.topic);
        const partitions = await this.ensureTopic(topic, letter.raw.topic);
        return this.produce(topic, partitions, letter);
      }),
    );
    await Promise.all(deliveries);
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

  private connect(): Promise<void> {
    this.connected ??= fromCallback((done) => this.producer.connect({}, done)).then(() => {
      this.producer.setPollInterval(10);
      this.admin = AdminClient.createFrom(this.producer);
    });
    return this.connected.catch((err) => {
      this.connected = undefined;
      throw err;
    });
  }

  private produce(topic: string, partitions: number, { raw, reason, attempts }: DeadLetter): Promise<void> {
    const id = this.nextId++;
    const delivered = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const headers: MessageHeader[] = [
      ...(raw.headers ?? []),
      { [DLT_HEADERS.originalTopic]: raw.topic },
      { [DLT_HEADERS.originalPartition]: String(raw.partition) },
      { [DLT_HEADERS.originalOffset]: String(raw.offset) },
      { [DLT_HEADERS.originalTimestamp]: String(raw.timestamp ?? '') },
      { [DLT_HEADERS.originalConsumerGroup]: this.groupId },
      { [DLT_HEADERS.exceptionClass]: reason.name || reason.constructor?.name || 'Error' },
      { [DLT_HEADERS.exceptionMessage]: reason.message },
      { [DLT_HEADERS.exceptionStacktrace]: reason.stack ?? '' },
      { [DLT_HEADERS.attempts]: String(attempts) },
    ];
    try {
      const partition = raw.partition < partitions ? raw.partition : null;
      this.producer.produce(topic, partition, raw.value, raw.key ?? null, raw.timestamp ?? null, id, headers);
    } catch (err) {
      this.pending.delete(id);
      return Promise.reject(err as Error);
    }
    return delivered;
  }

  /** Partition count of the dead-letter topic, creating it with the source topic's count if missing. */
  private ensureTopic(topic: string, sourceTopic: string): Promise<number> {
    let count = this.partitionCounts.get(topic);
    if (!count) {
      count = this.createIfMissing(topic, sourceTopic);
      this.partitionCounts.set(topic, count);
      count.catch(() => this.partitionCounts.delete(topic));
    }
    return count;
  }

  private async createIfMissing(topic: string, sourceTopic: string): Promise<number> {
    const existing = await this.describe(topic);
    if (existing !== undefined) return existing;
    const partitions = (await this.describe(sourceTopic)) ?? 1;
    try {
      await fromCallback((done) =>
        this.admin!.createTopic({ topic, num_partitions: partitions, replication_factor: -1 }, 30_000, done),
      );
      this.logger.log(`created dead-letter topic ${topic} (${partitions} partitions)`);
    } catch (err) {
      if ((err as { code?: number }).code !== CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS) throw err;
    }
    return partitions;
  }

  private async describe(topic: string): Promise<number | undefined> {
    const [description] = await fromCallback<
      { error?: { code: number; message: string }; partitions: unknown[] }[]
    >((done) => this.admin!.describeTopics([topic], { timeout: 10_000 }, done));
    if (description.error?.code === CODES.ERRORS.ERR_UNKNOWN_TOPIC_OR_PART) return undefined;
    if (description.error) throw new Error(`cannot describe topic ${topic}: ${description.error.message}`);
    return description.partitions.length;
  }
}
