import { AdminClient, CODES, IAdminClient, Producer } from '@confluentinc/kafka-javascript';
import { EventEmitter } from 'node:events';
import { DeadLetterPublisher } from './dead-letter.publisher';
import type { DeadLetter } from './dead-letter.types';

const letter = (offset: number): DeadLetter => ({
  raw: { topic: 'readings', partition: 0, offset, value: Buffer.from('v'), size: 1 },
  reason: new Error('invalid value'),
  attempts: 0,
});

type Delivery = { code: number; message: string } | null;

/** A producer that answers each produce() with the delivery report `deliver` gives it. */
class FakeProducer extends EventEmitter {
  connectAttempts = 0;
  produced = 0;
  disconnected = false;

  constructor(
    private readonly deliver: () => Delivery,
    private readonly connectError?: Error,
  ) {
    super();
  }

  connect(_options: unknown, done: (err?: Error) => void): void {
    this.connectAttempts++;
    done(this.connectError);
  }
  produce(topic: string, partition: number, ...rest: unknown[]): void {
    this.produced++;
    const opaque = rest[3];
    const err = this.deliver();
    setImmediate(() => this.emit('delivery-report', err, { topic, partition, opaque }));
  }
  setPollInterval(): void {}
  flush(_timeout: number, done: () => void): void {
    done();
  }
  disconnect(_timeout: number, done: () => void): void {
    this.disconnected = true;
    done();
  }
}

const timedOut = () => ({ code: CODES.ERRORS.ERR__MSG_TIMED_OUT, message: 'Local: Message timed out' });
const unauthorized = () => ({
  code: CODES.ERRORS.ERR_TOPIC_AUTHORIZATION_FAILED,
  message: 'Broker: Topic authorization failed',
});
const delivered = () => null;

function publisherOf(...producers: FakeProducer[]) {
  const created: FakeProducer[] = [];
  const publisher = new DeadLetterPublisher(
    () => {
      const next = producers[created.length];
      if (!next) throw new Error('no producer left');
      created.push(next);
      return next as unknown as Producer;
    },
    'g',
    (t) => `${t}.DLT`,
  );
  return { publisher, created };
}

describe('DeadLetterPublisher', () => {
  beforeEach(() => {
    const admin = {
      describeTopics: (_topics: string[], _options: unknown, done: (err: null, d: unknown) => void) =>
        done(null, [{ partitions: [{}, {}] }]),
      disconnect: () => undefined,
    };
    jest.spyOn(AdminClient, 'createFrom').mockReturnValue(admin as unknown as IAdminClient);
  });
  afterEach(() => jest.restoreAllMocks());

  it('reports every letter as failed when the producer cannot connect, and connects again on the next publish', async () => {
    const producer = new FakeProducer(
      delivered,
      Object.assign(new Error('Local: Broker transport failure'), { code: -195 }),
    );
    const { publisher, created } = publisherOf(producer);

    const results = await publisher.publish([letter(0), letter(1)]);

    expect(results).toEqual([
      { status: 'failed', error: expect.objectContaining({ message: 'Local: Broker transport failure' }) },
      { status: 'failed', error: expect.objectContaining({ message: 'Local: Broker transport failure' }) },
    ]);
    await publisher.publish([letter(0)]);
    expect(producer.connectAttempts).toBe(2);
    expect(created).toHaveLength(1);
  });

  it('answers an empty list with no results, without a producer', async () => {
    const { publisher, created } = publisherOf();

    expect(await publisher.publish([])).toEqual([]);
    await publisher.close();
    expect(created).toHaveLength(0);
  });

  it('replaces a producer whose letters timed out: the next attempt goes through a new one, the old one is disconnected', async () => {
    const stuck = new FakeProducer(timedOut);
    const fresh = new FakeProducer(delivered);
    const { publisher, created } = publisherOf(stuck, fresh);

    const first = await publisher.publish([letter(0), letter(1)]);
    expect(first.map((r) => r.status)).toEqual(['failed', 'failed']);
    const second = await publisher.publish([letter(0), letter(1)]);
    await publisher.close();

    expect(second).toEqual([{ status: 'published' }, { status: 'published' }]);
    expect(created).toEqual([stuck, fresh]);
    expect(stuck).toMatchObject({ produced: 2, disconnected: true });
    expect(fresh).toMatchObject({ produced: 2, disconnected: true });
  });

  it('keeps a producer whose letters the broker refused for another reason', async () => {
    let deliver: () => Delivery = unauthorized;
    const producer = new FakeProducer(() => deliver());
    const { publisher, created } = publisherOf(producer);

    const first = await publisher.publish([letter(0)]);
    deliver = delivered;
    const second = await publisher.publish([letter(0)]);

    expect(first).toEqual([
      { status: 'failed', error: expect.objectContaining({ code: unauthorized().code }) },
    ]);
    expect(second).toEqual([{ status: 'published' }]);
    expect(created).toEqual([producer]);
    expect(producer.disconnected).toBe(false);
  });
});
