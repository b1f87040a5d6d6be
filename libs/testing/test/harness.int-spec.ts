import { KafkaConsumer, Message } from '@confluentinc/kafka-javascript';
import { Client } from 'pg';
import {
  fromCallback,
  KafkaAdmin,
  kafkaBootstrap,
  produceRecords,
  OpenTestDatabase,
  openTestDatabase,
  uniqueName,
  waitForLagZero,
} from '../src';

// The harness proves itself end to end: real broker, real PostgreSQL, a plain librdkafka consumer.
describe('test harness against the real broker and database', () => {
  const admin = new KafkaAdmin();
  let database: OpenTestDatabase;
  let db: Client;

  beforeAll(async () => {
    database = await openTestDatabase(
      'CREATE TABLE records (topic text, partition int, "offset" bigint, key text, value jsonb, PRIMARY KEY (topic, partition, "offset"))',
    );
    db = database.client;
  });

  afterAll(async () => {
    await database?.drop();
    admin.close();
  });

  it('moves 10,000 keyed records from a 6-partition topic into PostgreSQL and commits every offset', async () => {
    const topic = uniqueName('harness');
    const groupId = uniqueName('harness_group');
    await admin.createTopic(topic, 6);
    const records = Array.from({ length: 10_000 }, (_, i) => ({
      key: `device-${i % 500}`,
      value: { seq: i },
      headers: { source: 'harness' },
    }));
    await produceRecords(topic, records);

    const end = await admin.endOffsets(topic);
    expect([...end.values()].reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(end.size).toBe(6);

    const consumer = new KafkaConsumer(
      {
        'bootstrap.servers': kafkaBootstrap(),
        'group.id': groupId,
        'enable.auto.commit': false,
      },
      // auto.offset.reset is a topic property: in the global config it is overridden by the topic defaults.
      { 'auto.offset.reset': 'earliest' },
    );
    await fromCallback((done) => consumer.connect({}, done));
    consumer.subscribe([topic]);
    try {
      let inserted = 0;
      const deadline = Date.now() + 60_000;
      while (inserted < records.length && Date.now() < deadline) {
        const batch = await fromCallback<Message[]>((done) => consumer.consume(1000, done));
        if (batch.length === 0) continue;
        const result = await db.query(
          `INSERT INTO records SELECT * FROM UNNEST($1::text[], $2::int[], $3::bigint[], $4::text[], $5::jsonb[]) ON CONFLICT DO NOTHING`,
          [
            batch.map((m) => m.topic),
            batch.map((m) => m.partition),
            batch.map((m) => m.offset),
            batch.map((m) => m.key?.toString() ?? null),
            batch.map((m) => m.value?.toString() ?? null),
          ],
        );
        inserted += result.rowCount ?? 0;
        const next = new Map<number, number>();
        for (const m of batch) next.set(m.partition, m.offset + 1);
        await fromCallback((done) =>
          (consumer as unknown as { commitCb: (o: unknown, cb: (err: unknown) => void) => void }).commitCb(
            [...next].map(([partition, offset]) => ({ topic, partition, offset })),
            done,
          ),
        );
      }
    } finally {
      await fromCallback((done) => consumer.disconnect(done));
    }

    const { rows } = await db.query<{ count: string; keys: string }>(
      'SELECT count(*) AS count, count(DISTINCT key) AS keys FROM records',
    );
    expect(Number(rows[0].count)).toBe(10_000);
    expect(Number(rows[0].keys)).toBe(500);
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 10_000 });
    expect(await admin.committedOffsets(groupId, topic)).toEqual(end);
  });

  it("reports a group that never committed as lagging by each partition's end offset", async () => {
    const topic = uniqueName('harness_never');
    const groupId = uniqueName('never_group');
    await admin.createTopic(topic, 3);
    await produceRecords(topic, [
      { key: 'a', value: 'x', partition: 0 },
      { key: 'b', value: 'y', partition: 2 },
      { key: 'c', value: 'z', partition: 2 },
    ]);
    const lag = await admin.lag(groupId, topic);
    expect(lag.committed).toEqual(new Map());
    expect(lag.end).toEqual(
      new Map([
        [0, 1],
        [1, 0],
        [2, 2],
      ]),
    );
    expect(lag.byPartition).toEqual(lag.end);
    expect(lag.total).toBe(3);
  });

  it('fails loudly, naming the partitions, when a group does not catch up', async () => {
    const topic = uniqueName('harness_lag');
    await admin.createTopic(topic, 2);
    await produceRecords(topic, [{ key: 'a', value: 'x', partition: 1 }]);
    await expect(waitForLagZero(admin, uniqueName('idle_group'), topic, { timeoutMs: 500 })).rejects.toThrow(
      /still lags 1 records .*p0=0 p1=1/,
    );
  });
});
