import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import {
  captureChildOutput,
  KafkaAdmin,
  produceRecords,
  OpenTestDatabase,
  openTestDatabase,
  seededRandom,
  testOutput,
  uniqueName,
  waitForLagZero,
} from '@org/testing';
import { Client } from 'pg';
import { eventually } from './listener-app';

/** A consumer process of fixtures/crash-consumer.ts, and what it reported on its standard output. */
interface CrashConsumer {
  child: ChildProcess;
  /** Records it handled (written and acknowledged). */
  handled: () => number;
  /** Its in-flight budget (maxInFlightRecords) as the library resolved it; undefined until it started. */
  budget: () => number | undefined;
}

// A consumer process killed with SIGKILL in the middle of its work, twice: at-least-once means
// every record reaches the database anyway, and duplicates stay bounded.
describe('crash (kill -9) of a consumer process mid-batch (real broker and database)', () => {
  const admin = new KafkaAdmin();
  let database: OpenTestDatabase;
  let db: Client;

  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    database = await openTestDatabase('CREATE TABLE delivered (id int PRIMARY KEY, deliveries int NOT NULL)');
    db = database.client;
  });
  // A test that failed midway leaves consumers running: they would keep Jest from exiting.
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await database.drop();
    admin.close();
  });

  function startConsumer(topic: string, groupId: string, name: string): CrashConsumer {
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
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    children.add(child);
    child.once('exit', () => children.delete(child));
    captureChildOutput(child, name, (line) => !line.startsWith('batch '));
    let handled = 0;
    let budget: number | undefined;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [word, count] = line.split(' ');
      if (word === 'batch') handled += Number(count);
      if (word === 'budget') budget = Number(count);
    });
    return { child, handled: () => handled, budget: () => budget };
  }

  it('loses no record across two SIGKILLs and reports the duplicates', async () => {
    const topic = uniqueName('crash');
    const groupId = uniqueName('g');
    const kills = 2;
    await admin.createTopic(topic, 3);
    const started = async (name: string) => {
      const consumer = startConsumer(topic, groupId, name);
      await eventually(() => consumer.budget() !== undefined, `${name} to start`, 60_000);
      return consumer;
    };
    const first = await started('consumer 1');
    const budget = first.budget()!;
    // Each killed consumer handles more than its budget first, and the survivor still finds work.
    const total = kills * (budget + 10_000);
    await produceRecords(
      topic,
      Array.from({ length: total }, (_, id) => ({ key: `k${id}`, value: { id } })),
    );

    const random = seededRandom('the records each consumer handles before it is killed');
    for (let kill = 1; kill <= kills; kill++) {
      const consumer = kill === 1 ? first : await started(`consumer ${kill}`);
      const killAfter = budget + 1 + Math.floor(random() * 4_000);
      await eventually(
        () => consumer.handled() >= killAfter,
        `consumer ${kill} to handle ${killAfter} records`,
        60_000,
      );
      consumer.child.kill('SIGKILL');
      await new Promise((resolve) => consumer.child.once('exit', resolve));
      testOutput(
        'crash test',
        `consumer ${kill} killed once it handled ${killAfter} records (it had ${consumer.handled()})`,
      );
    }
    const { rows: afterKills } = await db.query<{ n: string }>('SELECT count(*) AS n FROM delivered');
    expect(Number(afterKills[0].n)).toBeLessThan(total);

    const survivor = await started('the survivor');
    try {
      await waitForLagZero(admin, groupId, topic, { timeoutMs: 90_000 });
    } finally {
      survivor.child.kill('SIGTERM');
      await new Promise((resolve) => survivor.child.once('exit', resolve));
    }
    const { rows } = await db.query<{ unique_ids: string; deliveries: string }>(
      'SELECT count(*) AS unique_ids, sum(deliveries) AS deliveries FROM delivered',
    );
    const duplicates = Number(rows[0].deliveries) - Number(rows[0].unique_ids);
    testOutput(
      'crash test',
      `${total} records, ${rows[0].deliveries} deliveries, ${duplicates} duplicates after ${kills} kills (budget ${budget})`,
    );
    expect(Number(rows[0].unique_ids)).toBe(total);
    // Redone is what a killed process handled and had not committed yet: with a commit after every
    // batch, a few batches, far below its in-flight budget. Having handled more than that budget
    // before the kill, a process that lagged that far behind in its commits would exceed it.
    expect(duplicates).toBeLessThanOrEqual(kills * budget);
  });
});
