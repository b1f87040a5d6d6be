import { LibrdKafkaError, MessageHeader, Producer } from '@confluentinc/kafka-javascript';
import { context, propagation, Span, SpanKind, trace } from '@opentelemetry/api';
import { AuthenticationWatch } from '../kafka/authentication.watch';

export interface ProducerSettings {
  bootstrap: string;
  topic: string;
  rdkafka?: Record<string, string>;
}

const QUEUE_FULL = -184; // RD_KAFKA_RESP_ERR__QUEUE_FULL

const tracer = trace.getTracer('telemetry-simulator');

/** The span's context as W3C trace-context headers (none without a registered propagator). */
function traceHeaders(span: Span): MessageHeader[] {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), carrier);
  return Object.entries(carrier).map(([name, value]) => ({ [name]: value }));
}

/**
 * An idempotent producer with acks=all: a retry inside the client never duplicates or reorders
 * records. Counts what the broker confirmed and what failed; `send` never waits.
 */
export class ReadingsProducer {
  delivered = 0;
  failed = 0;
  lastError: string | undefined;
  private sent = 0;
  private readonly producer: Producer;
  private readonly authentication: AuthenticationWatch;

  constructor(private readonly settings: ProducerSettings) {
    this.producer = new Producer({
      'bootstrap.servers': settings.bootstrap,
      'client.id': 'telemetry-simulator',
      'enable.idempotence': true,
      acks: -1, // all in-sync replicas
      'linger.ms': 20,
      'compression.type': 'lz4',
      // The same partition for a key as Java clients choose: a device stays on its partition
      // whichever language produced its readings.
      partitioner: 'murmur2_random',
      'queue.buffering.max.messages': 200_000,
      dr_cb: true,
      ...settings.rdkafka,
    });
    this.authentication = new AuthenticationWatch({
      'bootstrap.servers': settings.bootstrap,
      ...settings.rdkafka,
    });
    this.producer.on('event.log', this.authentication.onLog);
    this.producer.on('delivery-report', (err) => {
      if (err) {
        this.failed++;
        this.lastError = err.message;
      } else {
        this.delivered++;
      }
    });
  }

  connect(): Promise<void> {
    return new Promise<void>((resolve, reject) =>
      this.producer.connect({ timeout: 15_000 }, (err) =>
        err ? reject(this.authentication.unavailable(err)) : resolve(),
      ),
    ).then(() => {
      this.producer.setPollInterval(20);
    });
  }

  /**
   * False when the client's queue is full: call again after the broker caught up. A `traced`
   * reading is sent under a producer span whose context goes in its `traceparent` header.
   */
  send(key: string, value: string, traced = false): boolean {
    const span = traced
      ? tracer.startSpan(`send ${this.settings.topic}`, { kind: SpanKind.PRODUCER })
      : undefined;
    try {
      this.producer.produce(
        this.settings.topic,
        null,
        Buffer.from(value),
        key,
        Date.now(),
        undefined,
        span && traceHeaders(span),
      );
      this.sent++;
      return true;
    } catch (err) {
      if ((err as LibrdKafkaError).code === QUEUE_FULL) return false;
      throw err;
    } finally {
      span?.end();
    }
  }

  get pending(): number {
    return this.sent - this.delivered - this.failed;
  }

  /**
   * Waits until every record sent was confirmed or failed. A load above what this process can
   * confirm leaves millions of confirmations to catch up on (10x the seed's load for three minutes
   * left five million), so it gives up only when confirmations stop coming for `stallMs`.
   */
  async drain(stallMs = 60_000): Promise<void> {
    let unconfirmed = this.pending;
    let progressAt = Date.now();
    while (this.pending > 0 && Date.now() - progressAt < stallMs) {
      await new Promise<void>((resolve) => this.producer.flush(1_000, () => resolve()));
      if (this.pending < unconfirmed) {
        unconfirmed = this.pending;
        progressAt = Date.now();
      }
    }
    if (this.pending > 0)
      throw new Error(`${this.pending} records still unconfirmed: none confirmed for ${stallMs} ms`);
  }

  disconnect(): Promise<void> {
    // A poll racing the native disconnect aborts the process; stop the timer first.
    this.producer.setPollInterval(0);
    return new Promise((resolve) => this.producer.disconnect(10_000, () => resolve()));
  }
}
