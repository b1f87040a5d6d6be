import { produceRecords, waitForLagZero } from '@org/testing';
import { eventually, listenerSuite, sleep } from './listener-app';

describe('runtime control: KafkaListenerRegistry.pause / resume (real broker)', () => {
  const suite = listenerSuite();
  const { admin } = suite;

  it('pauses a listener mid-batch: the batch finishes and commits, nothing else is handled, the group keeps its member; resume goes on', async () => {
    const { topic, groupId } = await suite.newTopic('pause', 2);
    const records = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => ({ key: `k${from + i}`, value: { i: from + i } }));
    await produceRecords(topic, records(0, 100));
    const handled: number[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let batches = 0;
    const { registry } = await suite.start(
      { topics: [topic], groupId, maxPollRecords: 500 },
      async (batch: { values: ReadonlyArray<{ i: number }> }) => {
        if (batches++ === 0) await released;
        batch.values.forEach((v) => handled.push(v.i));
      },
    );
    const container = registry.get('test-listener');
    await eventually(() => batches === 1, 'the first batch to start');

    const rebalances: unknown[] = [];
    container.on('rebalanced', (event) => rebalances.push(event));
    registry.pause('test-listener');
    release();
    await produceRecords(topic, records(100, 200));
    // What was running when it paused is handled and committed; the rest of the first 100 and the
    // 200 produced since wait on the broker.
    await eventually(
      async () => handled.length > 0 && (await admin.lag(groupId, topic)).total === 300 - handled.length,
      'the running batch committed',
    );
    const handledWhenPaused = handled.length;
    await sleep(3_000);
    expect(handled).toHaveLength(handledWhenPaused);
    expect(container.paused).toBe(true);
    expect(container.assignment).toHaveLength(2);
    expect(container.pausedPartitions().map((p) => p.reasons)).toEqual([['requested'], ['requested']]);
    expect((await admin.lag(groupId, topic)).total).toBe(300 - handledWhenPaused);

    registry.resume('test-listener');
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 30_000 });
    expect([...handled].sort((a, b) => a - b)).toEqual([...Array(300).keys()]);
    expect(container.paused).toBe(false);
    expect(rebalances).toEqual([]);
  });
});
