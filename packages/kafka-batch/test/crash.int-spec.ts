import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  KafkaAdmin,
  produceRecords,
  OpenTestDatabase,
  openTestDatabase,
  uniqueName,
  waitForLagZero,
} from '@org/testing';
import { Client } from 'pg';
import { eventually, sleep } from './listener-app';

// A consumer process killed with SIGKILL in the middle of its work, twice: at-least-once means
// every record reaches the database anyway, and duplicates stay bounded.
describe('crash (kill -9) of a consumer process mid-batch (real broker and database)', () => {
  const admin = new KafkaAdmin();
  let database: OpenTestDatabase;
  let db: Client;

  beforeAll(async () => {
    database = await openTestDatabase('CREATE TABLE delivered (id int PRIMARY KEY, deliveries int NOT NULL)');
    db = database.client;
  });
  afterAll(async () => {
    await database.drop();
    admin.close();
  });

  function startConsumer(topic: string, groupId: string): { child: ChildProcess; batches: () => number } {
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        join(__dirname, 'fixtures/crash-consumer.ts'),
        topic,
        groupId,
        database.url,
      ],
      {
        env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '../../../tsconfig.json') },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let batches = 0;
    child.stdout!.on(
      'data',
      (chunk: Buffer) =>
        (batches += chunk
          .toString()
          .split('\n')
          .filter((l) => l.startsWith('batch')).length),
    );
    return { child, batches: () => batches };
  }

  it('loses no record across two SIGKILLs and reports the duplicates', async () => {
    const topic = uniqueName('crash');
    const groupId = uniqueName('g');
    const total = 30_000;
    await admin.createTopic(topic, 3);
    await produceRecords(
      topic,
      Array.from({ length: total }, (_, id) => ({ key: `k${id}`, value: { id } })),
    );

    for (let kill = 0; kill < 2; kill++) {
      const consumer = startConsumer(topic, groupId);
      await eventually(
        () => consumer.batches() >= 5 + Math.floor(Math.random() * 20),
        'the consumer to be busy',
        60_000,
      );
      consumer.child.kill('SIGKILL');
      await new Promise((resolve) => consumer.child.once('exit', resolve));
    }
    const { rows: afterKills } = await db.query<{ n: string }>('SELECT count(*) AS n FROM delivered');
    expect(Number(afterKills[0].n)).toBeLessThan(total);

    const survivor = startConsumer(topic, groupId);
    try {
      await waitForLagZero(admin, groupId, topic, { timeoutMs: 90_000 });
    } finally {
      survivor.child.kill('SIGTERM');
      await new Promise((resolve) => survivor.child.once('exit', resolve));
    }
    await sleep(100);
    const { rows } = await db.query<{ unique_ids: string; deliveries: string }>(
      'SELECT count(*) AS unique_ids, sum(deliveries) AS deliveries FROM delivered',
    );
    const duplicates = Number(rows[0].deliveries) - Number(rows[0].unique_ids);
    console.log(
      `crash test: ${total} records, ${rows[0].deliveries} deliveries, ${duplicates} duplicates after 2 kills`,
    );
    expect(Number(rows[0].unique_ids)).toBe(total);
    // At most the uncommitted work of each killed process is redone: bounded by its in-flight budget.
    expect(duplicates).toBeLessThanOrEqual(2 * 4 * 200);
  });
});
