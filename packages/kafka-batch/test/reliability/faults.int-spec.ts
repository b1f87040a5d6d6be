import { writeFileSync } from 'node:fs';
import {
  databaseUrl,
  KafkaAdmin,
  kafkaBootstrap,
  OpenTestDatabase,
  openTestDatabase,
  seededRandom,
  TcpProxy,
  testOutput,
  useDedicatedBroker,
} from '@org/testing';
import { eventually, sleep } from '../listener-app';
import {
  DeliveryMode,
  FaultScenario,
  formatReports,
  PIPELINE_SCHEMA,
  ScenarioReport,
} from './fault-scenario';

// The delivery promises under the failures production brings. Each scenario produces uniquely
// keyed records (1 in 97 poison: undecodable, invalid JSON, schema, database constraint) while a
// fault hits the consumer processes, then checks that every record is in the database or on the
// dead-letter topic with its reason. Each runs in both modes: at-least-once (a record may be
// counted twice) and exactly-once (never). A scenario's row of the results table goes to its
// test's output (printed if it fails); FAULT_REPORT=<file> writes the table of all of them.
jest.setTimeout(300_000);

describe('fault injection: nothing is lost (real broker and PostgreSQL)', () => {
  const admin = new KafkaAdmin();
  const reports: ScenarioReport[] = [];
  let database: OpenTestDatabase;
  let proxy: TcpProxy;

  beforeAll(async () => {
    database = await openTestDatabase(PIPELINE_SCHEMA);
    const server = new URL(databaseUrl());
    proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
  });

  afterEach(async () => {
    await Promise.all(FaultScenario.started.splice(0).map((s) => s.abort()));
  });

  afterAll(async () => {
    if (process.env.FAULT_REPORT) writeFileSync(process.env.FAULT_REPORT, `${formatReports(reports)}\n`);
    await proxy.close();
    await database.drop();
    admin.close();
  });

  const scenario = (name: string, mode: DeliveryMode, env = { admin, bootstrap: kafkaBootstrap() }) =>
    new FaultScenario(name, mode, { ...env, databaseUrl: proxy.url(database.url), db: database.client });

  function record(report: ScenarioReport): void {
    reports.push(report);
    testOutput('fault report', formatReports([report]));
    expect(report).toMatchObject({ lost: 0 });
    expect(report.deadLettered).toBeGreaterThan(0);
    if (report.mode === 'exactly-once') expect(report.countedTwice).toBe(0);
  }

  describe.each<DeliveryMode>(['at-least-once', 'exactly-once'])('%s', (mode) => {
    // Exactly-once: 'after-write' is inside the listener's transaction, and there is no ack to lose.
    const killPoints =
      mode === 'exactly-once'
        ? (['after-write', 'before-write', 'after-write'] as const)
        : (['before-write', 'after-write', 'after-ack'] as const);

    it(`SIGKILL mid-batch ×3: ${killPoints.join(', ')}`, async () => {
      const s = scenario(`SIGKILL ×3 (${killPoints.join(', ')})`, mode);
      const random = seededRandom('the batch at which each consumer kills itself');
      await s.start();
      for (const killAt of killPoints) {
        const victim = s.consumer({ killAt, killAfterBatches: 3 + Math.floor(random() * 10) });
        const { signal } = await victim.exited;
        expect(signal).toBe('SIGKILL');
        expect(victim.count(`killing myself ${killAt}`)).toBe(1);
        expect(await s.committedButUnprocessed()).toBe(0);
      }
      const faultEnded = Date.now();
      s.consumer();
      record(await s.finish(faultEnded, 'each kill checked: committed offsets never ahead of the database'));
    });

    it('PostgreSQL refusing connections for 30 s: backoff without dead letters, recovery on its own', async () => {
      const s = scenario('PostgreSQL down 30 s', mode);
      await s.start();
      const consumer = s.consumer();
      await eventually(() => consumer.batches >= 5, 'the pipeline running', 60_000);
      await proxy.refuse();
      const outageFrom = consumer.lines.length;
      await sleep(30_000);
      const duringOutage = consumer.probes(outageFrom);
      const transientFailures = consumer.count('transient failure on');
      await proxy.restore();
      const faultEnded = Date.now();
      // Liveness never restarts a pod for a database outage; readiness shows the stalled partitions.
      expect(duringOutage.length).toBeGreaterThan(100);
      expect(duringOutage.every((p) => p.live)).toBe(true);
      expect(duringOutage.some((p) => !p.ready)).toBe(true);
      // Paused with a growing backoff, not spinning: a handful of attempts per partition.
      expect(transientFailures).toBeGreaterThan(0);
      expect(transientFailures).toBeLessThan(6 * 20);
      record(
        await s.finish(faultEnded, `${transientFailures} transient failures, probes live and not ready`),
      );
    });

    // Found a loss once in about two runs before the fix of #9: a revoke interrupted a batch, the
    // partition that stayed was rewound, and records fetched from the new position were dropped as
    // stale. Loop it alone with `npx jest packages/kafka-batch/test/reliability -t "members joining"`.
    it('members joining and leaving every few seconds', async () => {
      const s = scenario('rebalances every 2-4 s', mode);
      const random = seededRandom('the time between membership changes');
      await s.start();
      const members = [s.consumer()];
      for (let step = 0; step < 8; step++) {
        await sleep(2_000 + random() * 2_000);
        if (members.length < 3 && (step % 3 !== 2 || members.length === 1)) members.push(s.consumer());
        else await members.shift()!.terminate();
      }
      const faultEnded = Date.now();
      record(await s.finish(faultEnded, '8 membership changes'));
    });

    it('SIGTERM during a heavy backlog: a clean stop that commits what it did', async () => {
      const s = scenario('SIGTERM under backlog', mode);
      await s.start(5_000);
      await eventually(() => s.produced >= 20_000, 'a backlog of 20,000 records', 30_000);
      const first = s.consumer();
      await eventually(() => first.batches >= 20, 'the backlog being worked', 60_000);
      await first.terminate();
      expect(first.count('stopped')).toBe(1);
      // A clean stop commits everything it did: nothing is handled twice, in either mode.
      expect(await s.countedTwice()).toBe(0);
      expect(await s.committedButUnprocessed()).toBe(0);
      const faultEnded = Date.now();
      s.consumer();
      record(await s.finish(faultEnded, 'no duplicates after the clean stop'));
    });

    it('a zombie: a member frozen past its session timeout with its transaction open, then resumed', async () => {
      const s = scenario('zombie (SIGSTOP in a transaction, SIGCONT after the takeover)', mode);
      await s.start();
      const zombie = s.consumer({ stallBatch: 6, stallMs: 3_000 });
      await eventually(
        () => zombie.count('stalling in batch') === 1,
        'the zombie in its transaction',
        60_000,
      );
      const stalledBatches = zombie.batches;
      zombie.freeze();
      const successor = s.consumer();
      // The successor gets the partitions once the group gave up on the frozen member's session.
      await eventually(() => successor.count('assigned') > 0, 'the takeover', 60_000);
      await sleep(3_000);
      zombie.thaw();
      await eventually(() => zombie.batches > stalledBatches, 'the zombie finishing its batch', 30_000);
      const faultEnded = Date.now();
      // Exactly-once: the successor's transaction on a partition the zombie held waited for the
      // zombie's row lock, and was fenced by its commit. The successor says so once that commit
      // released the row, which can be after the zombie's own report of its batch.
      const fencedCount = () =>
        [zombie, successor].reduce((n, p) => n + p.count('stored offsets moved under this member'), 0);
      if (mode === 'exactly-once')
        await eventually(() => fencedCount() > 0, 'a transaction fenced by the zombie’s commit', 30_000);
      const fenced = fencedCount();
      record(
        await s.finish(
          faultEnded,
          mode === 'exactly-once'
            ? `${fenced} fenced transactions`
            : 'the zombie committed records the successor handled again',
        ),
      );
    });

    describe('with a broker of its own', () => {
      const own = useDedicatedBroker();

      it('the broker stopped and restarted while consumers run', async () => {
        const s = scenario('broker stop 10 s + restart', mode, {
          admin: own.admin,
          bootstrap: own.broker.bootstrap,
        });
        await s.start();
        const consumers = [s.consumer(), s.consumer()];
        await eventually(() => consumers.every((c) => c.batches >= 3), 'both consumers working', 60_000);
        // The consumers are under test, not the oracle's producer: it waits the outage out with
        // nothing in flight. An idempotent librdkafka producer cut off mid-request sometimes never
        // delivered again after the restart (CI, 2026-12-07: 5,000 of 29,400 records acknowledged).
        await s.pauseProducing();
        await own.broker.pause();
        const outageFrom = consumers.map((c) => c.lines.length);
        await sleep(10_000);
        const duringOutage = consumers.flatMap((c, i) => c.probes(outageFrom[i]));
        await own.broker.resume();
        s.resumeProducing();
        const faultEnded = Date.now();
        expect(duringOutage.every((p) => p.live)).toBe(true);
        expect(duringOutage.some((p) => !p.ready)).toBe(true);
        record(await s.finish(faultEnded, 'probes live and not ready during the outage'));
      });
    });
  });

  it('a batch slower than max.poll.interval.ms: no rebalance, liveness down meanwhile, nothing lost', async () => {
    const s = scenario('handler slower than max poll interval', 'at-least-once');
    await s.start();
    const consumer = s.consumer({ slowBatch: 5, slowMs: 9_000, maxPollIntervalMs: 7_000 });
    await eventually(() => consumer.batches >= 8, 'the pipeline past the slow batch', 60_000);
    const faultEnded = Date.now();
    expect(consumer.probes().some((p) => !p.live)).toBe(true);
    await eventually(() => consumer.probes().at(-1)!.live, 'liveness back after the slow batch');
    expect(consumer.count('revoked')).toBe(0);
    record(await s.finish(faultEnded, 'liveness down while the batch ran, no rebalance'));
  });
});
