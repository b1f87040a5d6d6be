import { AdminClient, CODES, IAdminClient, Producer } from '@confluentinc/kafka-javascript';
import { Logger } from '@nestjs/common';
import { fromCallback } from '../client/rdkafka.types';
import type { DeadLetterRecord } from './dead-letter.record';
import { DeadLetterTopics } from './dead-letter.topics';

/**
 * Delivery errors after which the producer is replaced rather than trusted again. After a broker
 * restart an idempotent librdkafka producer sometimes never delivered again: every letter timed
 * out, 30 s after 30 s, and held its partition until the pod restarted (fault suite, 2026-12-07).
 * A fatal error ends an idempotent producer for good.
 */
const REPLACE_AFTER: ReadonlySet<number> = new Set([
  CODES.ERRORS.ERR__MSG_TIMED_OUT,
  CODES.ERRORS.ERR__FATAL,
]);

export function callsForNewProducer(error: Error): boolean {
  return REPLACE_AFTER.has((error as { code?: number }).code ?? 0);
}

const CLOSE_FLUSH_MS = 10_000;

interface PendingDelivery {
  resolve: () => void;
  reject: (err: Error) => void;
}

/**
 * One librdkafka producer of dead letters and the admin client on its connection: connects on
 * first use, and settles each send with the broker's delivery report.
 */
export class DeadLetterProducer {
  private readonly pending = new Map<number, PendingDelivery>();
  private nextId = 0;
  private admin: IAdminClient | undefined;
  private connected: Promise<DeadLetterTopics> | undefined;
  /** Sends meant to be in no batch with another: each waits for the previous one's delivery report. */
  private sendingAlone: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly producer: Producer,
    private readonly logger: Logger,
  ) {
    producer.on('delivery-report', (err, report) => {
      const delivery = this.pending.get(report.opaque as number);
      if (!delivery) return;
      this.pending.delete(report.opaque as number);
      if (err) delivery.reject(Object.assign(new Error(err.message), { code: err.code }));
      else delivery.resolve();
    });
  }

  /** The dead-letter topics, once connected; a failed connection is attempted again on the next call. */
  topics(): Promise<DeadLetterTopics> {
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

  /** Resolves when the broker confirmed the record; `alone`: in no batch with another. */
  send(topic: string, partition: number | null, record: DeadLetterRecord, alone: boolean): Promise<void> {
    if (!alone) return this.produce(topic, partition, record);
    const sent = this.sendingAlone.then(() => this.produce(topic, partition, record));
    this.sendingAlone = sent.catch(() => undefined);
    return sent;
  }

  /** Flushes what it can, disconnects, and fails the sends still unconfirmed. */
  async close(): Promise<void> {
    if (!this.connected) return;
    await fromCallback((done) => this.producer.flush(CLOSE_FLUSH_MS, done)).catch(() => undefined);
    this.admin?.disconnect();
    // The client's poll timer keeps firing until 'disconnected'; a poll that lands while the native
    // disconnect tears the handle down aborts the process ("pure virtual method called").
    this.producer.setPollInterval(0);
    await fromCallback((done) => this.producer.disconnect(0, done)).catch(() => undefined);
    const closed = new Error('the dead-letter producer was closed before the broker confirmed the letter');
    for (const delivery of this.pending.values()) delivery.reject(closed);
    this.pending.clear();
  }

  private produce(
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
