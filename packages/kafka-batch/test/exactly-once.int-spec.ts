import { INestApplicationContext, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  Batch,
  BatchListener,
  BatchTransaction,
  KafkaBatch,
  KafkaBatchModule,
  KafkaBatchOffsetsMigration,
  KafkaListenerRegistry,
} from '@org/kafka-batch';
import {
  kafkaBootstrap,
  OpenTestDatabase,
  openTestDatabase,
  produceRecords,
  TestLogger,
  waitForLagZero,
} from '@org/testing';
import type { EntityManager } from 'typeorm';
import { listenerSuite } from './listener-app';

const COUNTS = 'CREATE TABLE counts (id int PRIMARY KEY, n int NOT NULL)';

/** A listener in exactly-once mode whose writes are increments: a record handled twice counts 2. */
function countingApp(topic: string, groupId: string, url: string, seen: number[]) {
  @Injectable()
  class Counter {
    @BatchListener({ id: 'counter', topics: [topic], groupId, exactlyOnce: true, maxPollRecords: 50 })
    async onBatch(
      @Batch() batch: KafkaBatch<{ id: number }>,
      @BatchTransaction() manager: EntityManager,
    ): Promise<void> {
      seen.push(...batch.values.map((v) => v.id));
      await manager.query(
        'INSERT INTO counts (id, n) SELECT unnest($1::int[]), 1 ON CONFLICT (id) DO UPDATE SET n = counts.n + 1',
        [batch.values.map((v) => v.id)],
      );
    }
  }

  @Module({
    imports: [
      KafkaBatchModule.forRoot({ brokers: kafkaBootstrap(), clientId: 'it' }),
      TypeOrmModule.forRoot({
        type: 'postgres',
        url,
        migrations: [KafkaBatchOffsetsMigration],
        migrationsRun: true,
      }),
    ],
    providers: [Counter],
  })
  class CountingModule {}
  return CountingModule;
}

describe('exactly-once mode (real broker and PostgreSQL)', () => {
  const suite = listenerSuite();
  let database: OpenTestDatabase;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(COUNTS);
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    await database.client.query('TRUNCATE counts');
  });
  afterAll(() => database.drop());

  async function start(topic: string, groupId: string, seen: number[]) {
    const app = await NestFactory.createApplicationContext(countingApp(topic, groupId, database.url, seen), {
      logger: new TestLogger(),
      abortOnError: false,
    });
    await app.init();
    apps.push(app);
    return app;
  }

  async function produce(topic: string, from: number, count: number, partitions: number) {
    await produceRecords(
      topic,
      Array.from({ length: count }, (_, i) => ({
        key: `k${from + i}`,
        value: { id: from + i },
        partition: (from + i) % partitions,
      })),
    );
  }

  const stored = async (groupId: string) =>
    (
      await database.client.query<{ partition: number; next_offset: string }>(
        'SELECT partition, next_offset FROM kafka_batch_offsets WHERE group_id = $1 ORDER BY partition',
        [groupId],
      )
    ).rows.map((r) => [r.partition, Number(r.next_offset)]);

  it('stores the offsets with the rows, commits them to Kafka too, and a restart goes on from the table', async () => {
    const { topic, groupId } = await suite.newTopic('eos', 3);
    await produce(topic, 0, 300, 3);
    const seen: number[] = [];
    const first = await start(topic, groupId, seen);
    await waitForLagZero(suite.admin, groupId, topic, { timeoutMs: 30_000 });
    expect(await stored(groupId)).toEqual([
      [0, 100],
      [1, 100],
      [2, 100],
    ]);
    expect(first.get(KafkaListenerRegistry).get('counter').state).toBe('running');
    await first.close();
    apps.splice(apps.indexOf(first), 1);

    // Kafka's offsets go back to 0: the table says where the group is, and it wins.
    await suite.admin.commitGroupOffsets(
      groupId,
      topic,
      new Map([
        [0, 0],
        [1, 0],
        [2, 0],
      ]),
    );
    await produce(topic, 300, 30, 3);
    await start(topic, groupId, seen);
    await waitForLagZero(suite.admin, groupId, topic, { timeoutMs: 30_000 });
    const { rows } = await database.client.query<{ total: string; max: number; records: string }>(
      'SELECT sum(n) AS total, max(n) AS max, count(*) AS records FROM counts',
    );
    expect(rows[0]).toEqual({ total: '330', max: 1, records: '330' });
    expect(seen).toHaveLength(330);
  });

  it('a partition without a row starts where the group committed in Kafka', async () => {
    const { topic, groupId } = await suite.newTopic('eos-kafka', 1);
    await produce(topic, 0, 40, 1);
    await suite.admin.commitGroupOffsets(groupId, topic, new Map([[0, 25]]));
    const seen: number[] = [];
    await start(topic, groupId, seen);
    await waitForLagZero(suite.admin, groupId, topic, { timeoutMs: 30_000 });
    expect(Math.min(...seen)).toBe(25);
    expect(await stored(groupId)).toEqual([[0, 40]]);
  });

  it('fails the start naming the option when the data source does not exist', async () => {
    const { topic, groupId } = await suite.newTopic('eos-bad', 1);
    @Injectable()
    class Orphan {
      @BatchListener({ id: 'orphan', topics: [topic], groupId, exactlyOnce: { dataSource: 'reports' } })
      onBatch(): void {}
    }
    @Module({
      imports: [KafkaBatchModule.forRoot({ brokers: kafkaBootstrap() })],
      providers: [Orphan],
    })
    class OrphanModule {}
    await expect(
      NestFactory.createApplicationContext(OrphanModule, { logger: new TestLogger(), abortOnError: false }),
    ).rejects.toThrow(
      '@BatchListener "orphan": option "exactlyOnce.dataSource" must name a TypeORM data source of the application (TypeOrmModule.forRoot), got "reports"',
    );
  });
});
