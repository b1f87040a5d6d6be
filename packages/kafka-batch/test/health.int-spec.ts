import { KafkaLagMonitor } from '@org/kafka-batch';
import { KafkaBatchHealthIndicator, KafkaBatchHealthModule } from '@org/kafka-batch/health';
import { produceRecords, uniqueName, useDedicatedBroker } from '@org/testing';
import { eventually, listenerSuite, sleep, TestHandler } from './listener-app';

const LISTENER = 'test-listener';
const FAST_LAG = { lag: { intervalMs: 300, windowSize: 4 } };

interface ListenerDetails {
  alive?: boolean;
  ready?: boolean;
  reason?: string;
  reasons?: string[];
  lag?: { status: string; total: number };
}

/** The per-listener details of an indicator result, and whether it is up. */
function read(result: Record<string, { status: string; listeners?: Record<string, ListenerDetails> }>) {
  const { status, listeners } = result.kafka;
  return { up: status === 'up', details: listeners![LISTENER] };
}

describe('health indicators', () => {
  const suite = listenerSuite();

  async function startWithHealth(
    options: Parameters<typeof suite.start>[0],
    handler: TestHandler,
    moduleOptions: Parameters<typeof suite.start>[3] = FAST_LAG,
  ) {
    const { app } = await suite.start(options, handler, { imports: [KafkaBatchHealthModule] }, moduleOptions);
    const health = app.get(KafkaBatchHealthIndicator);
    return { app, health, monitor: app.get(KafkaLagMonitor) };
  }

  it('an idle topic is alive and ready, with lag 0 and status OK', async () => {
    const { topic, groupId } = await suite.newTopic('idle', 2);
    const { health, monitor } = await startWithHealth({ topics: [topic], groupId }, () => undefined);
    await eventually(() => read(health.isReady()).up, 'readiness once the group is joined');
    await eventually(() => (monitor.snapshot(LISTENER)?.partitions.length ?? 0) === 2, 'a lag sample');
    const strict = () => read(health.isReady('kafka', { maxLagRecords: 0, maxLagSeconds: 1 }));
    await eventually(() => strict().up, 'readiness under a zero lag threshold', 10_000);
    expect(strict()).toMatchObject({
      up: true,
      details: { lag: { status: 'OK', total: 0 } },
    });
    expect(read(health.isAlive()).up).toBe(true);
  });

  it('a hanging handler turns liveness down after maxBatchDurationMs, and readiness down as STALL', async () => {
    const { topic, groupId } = await suite.newTopic('hang', 1);
    await produceRecords(topic, [{ value: { n: 1 } }, { value: { n: 2 } }]);
    let started = false;
    const { health } = await startWithHealth(
      { topics: [topic], groupId, maxBatchDurationMs: 1_500, shutdownTimeoutMs: 500 },
      () => {
        started = true;
        return new Promise(() => undefined);
      },
    );
    await eventually(() => started, 'the handler to be called');
    expect(read(health.isAlive()).up).toBe(true);
    await eventually(() => !read(health.isAlive()).up, 'liveness down', 10_000);
    expect(read(health.isAlive()).details.reason).toMatch(
      /^a batch has been running for \d+ ms \(maxBatchDurationMs 1500\)$/,
    );
    await eventually(() => !read(health.isReady()).up, 'readiness down', 10_000);
    expect(read(health.isReady()).details.reasons).toEqual([`status STALL on ${topic}[0]`]);
  });

  it('a growing backlog behind a slow handler shows WARN, and turns readiness down only past a threshold', async () => {
    const { topic, groupId } = await suite.newTopic('backlog', 1);
    const { health, monitor } = await startWithHealth(
      { topics: [topic], groupId, maxPollRecords: 10, fetchMinBytes: 1 },
      () => sleep(200),
    );
    await eventually(() => read(health.isReady()).up, 'readiness before the load');
    let producing = true;
    const producer = (async () => {
      for (let n = 0; producing; n++) {
        await produceRecords(
          topic,
          Array.from({ length: 40 }, (_, i) => ({ value: { n, i } })),
        );
        await sleep(100);
      }
    })();
    try {
      await eventually(() => monitor.snapshot(LISTENER)?.status === 'WARN', 'status WARN', 20_000);
      const lag = monitor.snapshot(LISTENER)!;
      expect(lag.totalLag).toBeGreaterThan(100);
      // WARN alone does not fail readiness; a lag threshold does.
      expect(read(health.isReady()).up).toBe(true);
      const limited = read(health.isReady('kafka', { maxLagRecords: 100 }));
      expect(limited.up).toBe(false);
      expect(limited.details.reasons!.join()).toMatch(/^lag \d+ records exceeds 100$/);
    } finally {
      producing = false;
      await producer;
    }
  });

  it('a fenced static member turns liveness down with the reason', async () => {
    const { topic, groupId } = await suite.newTopic('fenced-health', 2);
    const options = { topics: [topic], groupId, groupInstanceId: `${groupId}-same` };
    const first = await startWithHealth(options, () => undefined);
    await eventually(() => read(first.health.isReady()).up, 'the first member ready');
    const second = await startWithHealth(options, () => undefined);
    await eventually(() => !read(first.health.isAlive()).up, 'the fenced member to turn liveness down');
    expect(read(first.health.isAlive()).details.reason).toMatch(
      /^fatal client error: .*fenced by other consumer with same group.instance.id/,
    );
    expect(read(first.health.isReady()).up).toBe(false);
    expect(read(second.health.isAlive()).up).toBe(true);
  });
});

describe('health indicators when the broker stops', () => {
  const suite = listenerSuite();
  const own = useDedicatedBroker();

  it('readiness goes down and comes back; liveness stays up', async () => {
    const topic = uniqueName('broker-down');
    await own.admin.createTopic(topic, 2);
    await produceRecords(topic, [{ value: { n: 1 } }], own.broker.bootstrap);
    const { app } = await suite.start(
      { topics: [topic], groupId: uniqueName('g'), sessionTimeoutMs: 6_000, heartbeatIntervalMs: 1_000 },
      () => undefined,
      { imports: [KafkaBatchHealthModule] },
      { ...FAST_LAG, brokers: own.broker.bootstrap },
    );
    const health = app.get(KafkaBatchHealthIndicator);
    await eventually(() => read(health.isReady()).up, 'readiness with the broker up');

    await own.broker.pause();
    await eventually(() => !read(health.isReady()).up, 'readiness down with the broker stopped', 20_000);
    expect(read(health.isReady()).details.reasons!.join()).toMatch(/^the broker does not answer: /);
    for (let check = 0; check < 10; check++) {
      expect(read(health.isAlive())).toMatchObject({ up: true });
      await sleep(300);
    }

    await own.broker.resume();
    await eventually(() => read(health.isReady()).up, 'readiness back with the broker', 60_000);
    expect(read(health.isAlive()).up).toBe(true);
  });
});
