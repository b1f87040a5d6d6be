import { CODES, IAdminClient } from '@confluentinc/kafka-javascript';
import { Logger } from '@nestjs/common';
import { FakeClock } from '../../test/unit/fakes/fake.clock';
import { DeadLetterTopics } from './dead-letter.topics';

type Done<T> = (err: unknown, result?: T) => void;

/** A broker whose metadata shows a created topic only after `describesUntilVisible` more looks. */
function brokerAdmin(existing: Record<string, number>, describesUntilVisible: number) {
  const partitions = new Map(Object.entries(existing));
  const pending = new Map<string, { partitions: number; looksLeft: number }>();
  const created: string[] = [];
  const admin = {
    describeTopics(topics: string[], _options: unknown, done: Done<unknown[]>) {
      const [topic] = topics;
      const coming = pending.get(topic);
      if (coming && coming.looksLeft-- === 0) {
        partitions.set(topic, coming.partitions);
        pending.delete(topic);
      }
      const count = partitions.get(topic);
      done(null, [
        count === undefined
          ? { error: { code: CODES.ERRORS.ERR_UNKNOWN_TOPIC_OR_PART, message: 'unknown' }, partitions: [] }
          : { partitions: Array.from({ length: count }) },
      ]);
    },
    createTopic(topic: { topic: string; num_partitions: number }, _timeout: number, done: Done<void>) {
      created.push(topic.topic);
      pending.set(topic.topic, { partitions: topic.num_partitions, looksLeft: describesUntilVisible });
      done(null);
    },
  };
  return { admin: admin as unknown as IAdminClient, created };
}

describe('DeadLetterTopics', () => {
  const logger = new Logger('test');
  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('creates a missing topic like its source and resolves only once the metadata shows it', async () => {
    const clock = new FakeClock();
    const { admin, created } = brokerAdmin({ orders: 3 }, 4);
    let count: number | undefined;
    void new DeadLetterTopics(admin, logger, clock)
      .partitionCount('orders-retry-1000', 'orders')
      .then((n) => {
        count = n;
      });
    await clock.advance(0);
    expect(created).toEqual(['orders-retry-1000']);
    expect(count).toBeUndefined();
    await clock.until(() => count !== undefined, 'the topic to show');
    expect(count).toBe(3);
  });

  it('rejects, naming the topic, when a created topic never shows in the metadata', async () => {
    const clock = new FakeClock();
    const { admin } = brokerAdmin({ orders: 1 }, Number.POSITIVE_INFINITY);
    let error: Error | undefined;
    new DeadLetterTopics(admin, logger, clock).partitionCount('orders.DLT', 'orders').catch((err: Error) => {
      error = err;
    });
    await clock.advance(29_000);
    expect(error).toBeUndefined();
    await clock.until(() => error !== undefined, 'the rejection', 5_000);
    expect(error?.message).toBe('topic orders.DLT was created but is not in the metadata after 30000 ms');
  });

  it("takes an existing topic's partition count and creates nothing", async () => {
    const { admin, created } = brokerAdmin({ 'orders.DLT': 6 }, 0);
    const topics = new DeadLetterTopics(admin, logger, new FakeClock());
    await expect(topics.partitionCount('orders.DLT', 'orders')).resolves.toBe(6);
    expect(created).toEqual([]);
  });
});
