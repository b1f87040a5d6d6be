import { Producer } from '@confluentinc/kafka-javascript';
import { fromCallback } from '@org/kafka-offsets';
import { kafkaBootstrap } from './env';
import { disconnectPolledProducer, type TestRecord } from './produce';

export interface ProducedRecord {
  key: string;
  partition: number;
  offset: number;
}

/**
 * Produces records at a steady rate until stopped (idempotent, acks=all), remembering where
 * each one landed: the oracle of the fault suite. Records produced while the broker is down wait
 * in the client's queue and are delivered when it returns.
 */
export class ContinuousProducer {
  readonly delivered: ProducedRecord[] = [];
  readonly errors: Error[] = [];
  private sent = 0;
  private timer: NodeJS.Timeout | undefined;
  private ticking: (() => void) | undefined;

  private constructor(
    private readonly producer: Producer,
    private readonly topic: string,
  ) {}

  static async connect(topic: string, bootstrap = kafkaBootstrap()): Promise<ContinuousProducer> {
    const producer = new Producer({
      'bootstrap.servers': bootstrap,
      'client.id': 'test-harness-continuous-producer',
      'enable.idempotence': true,
      'linger.ms': 5,
      'message.timeout.ms': 300_000,
      dr_cb: true,
    });
    await fromCallback((done) => producer.connect({}, done));
    producer.setPollInterval(20);
    const continuous = new ContinuousProducer(producer, topic);
    producer.on('delivery-report', (err, report) => {
      if (err) continuous.errors.push(new Error(err.message));
      else
        continuous.delivered.push({
          key: String(report.key),
          partition: report.partition,
          offset: Number(report.offset),
        });
    });
    return continuous;
  }

  get produced(): number {
    return this.sent;
  }

  /** Sends `perTick` records every `tickMs`; `make(n)` builds the n-th record (keys must be unique). */
  start(make: (n: number) => TestRecord & { key: string }, perTick: number, tickMs = 100): void {
    const tick = () => {
      for (let i = 0; i < perTick; i++) {
        const record = make(this.sent++);
        const value = record.value;
        const bytes =
          value === null || Buffer.isBuffer(value)
            ? value
            : Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
        this.producer.produce(this.topic, record.partition ?? null, bytes, record.key, Date.now());
      }
    };
    this.ticking = () => (this.timer = setInterval(tick, tickMs));
    this.ticking();
  }

  /** Goes on producing after stop(), numbering on. */
  resume(): void {
    if (!this.ticking) throw new Error('resume() before start()');
    clearInterval(this.timer);
    this.ticking();
  }

  /** Stops producing and waits until every record sent so far is acknowledged by the broker. */
  async stop(timeoutMs = 120_000): Promise<void> {
    clearInterval(this.timer);
    const deadline = Date.now() + timeoutMs;
    while (this.delivered.length + this.errors.length < this.sent) {
      if (Date.now() > deadline)
        throw new Error(`only ${this.delivered.length} of ${this.sent} records were acknowledged`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (this.errors.length > 0)
      throw new Error(`${this.errors.length} records failed: ${this.errors[0].message}`);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await disconnectPolledProducer(this.producer);
  }
}
