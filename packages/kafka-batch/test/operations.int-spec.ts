import type { KafkaRecord } from '@org/kafka-batch';
import { produceRecords, readTopic, waitForLagZero } from '@org/testing';
import { eventually, listenerSuite, sleep } from './listener-app';

describe('flow control and operations (real broker)', () => {
  const suite = listenerSuite();
  const { admin } = suite;

  it('fails the application start with a message naming the listener, the option and the allowed values', async () => {
    await expect(
      suite.start({ topics: ['t'], groupId: 'g', maxPollRecords: 0 }, () => undefined),
    ).rejects.toThrow(
      '@BatchListener "test-listener": option "maxPollRecords" must be an integer in 1..100000 (got 0)',
    );
    await expect(suite.start({ topics: ['t'] }, () => undefined)).rejects.toThrow(
      'option "groupId" must be a non-empty string (the consumer group id) (got undefined)',
    );
  });

  it('keeps the in-flight records within the budget, and drains everything', async () => {
    const { topic, groupId } = await suite.newTopic('budget', 4);
    await produceRecords(
      topic,
      Array.from({ length: 4_000 }, (_, i) => ({ key: `k${i}`, value: { i } })),
    );
    const listener = await suite.start(
      { topics: [topic], groupId, maxPollRecords: 50, maxInFlightRecords: 200, fetchMinBytes: 1 },
      () => sleep(5),
    );
    const container = listener.registry.get('test-listener');
    let maxInFlight = 0;
    let lastPollAt = container.lastPollAt;
    const pollGaps: number[] = [];
    const sampler = setInterval(() => {
      maxInFlight = Math.max(maxInFlight, container.inFlightRecords);
      if (container.lastPollAt !== lastPollAt) pollGaps.push(container.lastPollAt - lastPollAt);
      lastPollAt = container.lastPollAt;
    }, 2);
    try {
      await waitForLagZero(admin, groupId, topic, { timeoutMs: 60_000 });
    } finally {
      clearInterval(sampler);
    }
    // The budget filled many times over (4,000 records through 200).
    expect(maxInFlight).toBeGreaterThanOrEqual(200);
    // One consume() call may land after the budget filled: at most maxPollRecords over it.
    expect(maxInFlight).toBeLessThanOrEqual(200 + 50);
    // Each finished batch ends the hold: had the loop sat out its second every time the budget
    // filled, a gap of about a second would follow each of those (at least 15).
    expect(pollGaps.filter((gap) => gap >= 900).length).toBeLessThan(3);
    expect(container.pausedPartitions()).toEqual([]);
  });

  it('pauses every partition when the budget stays full for a second, keeps polling, and resumes once the handler catches up', async () => {
    const { topic, groupId } = await suite.newTopic('budget_stuck', 4);
    await produceRecords(
      topic,
      Array.from({ length: 1_000 }, (_, i) => ({ key: `k${i}`, value: { i }, partition: i % 4 })),
    );
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const listener = await suite.start(
      { topics: [topic], groupId, maxPollRecords: 50, maxInFlightRecords: 200, fetchMinBytes: 1 },
      () => stuck,
    );
    const container = listener.registry.get('test-listener');
    let fullAt: number | undefined;
    let maxInFlight = 0;
    const sampler = setInterval(() => {
      maxInFlight = Math.max(maxInFlight, container.inFlightRecords);
      if (container.inFlightRecords >= 200) fullAt ??= Date.now();
    }, 2);
    try {
      await eventually(
        () => container.pausedPartitions().filter((p) => p.reasons.includes('backpressure')).length === 4,
        'every partition paused for backpressure',
      );
      const pausedAt = Date.now();
      // Until then (a second; 500 ms leaves room for a late sample) the poll loop stopped calling
      // consume() and librdkafka kept its prefetch.
      expect(pausedAt - fullAt!).toBeGreaterThanOrEqual(500);
      // Paused, it polls on: rebalance events and commit answers come only with consume() calls.
      const polledAt = container.lastPollAt;
      await eventually(() => container.lastPollAt > polledAt, 'a poll while paused');
      expect(maxInFlight).toBeLessThanOrEqual(200 + 50);
      release();
      await waitForLagZero(admin, groupId, topic, { timeoutMs: 60_000 });
    } finally {
      clearInterval(sampler);
      release();
    }
    expect(container.pausedPartitions()).toEqual([]);
  });

  it('seeks a partition to a timestamp from a service and replays from there', async () => {
    const { topic, groupId } = await suite.newTopic('seek', 1);
    const t0 = Date.now() - 100_000;
    await produceRecords(
      topic,
      Array.from({ length: 100 }, (_, i) => ({ value: { i }, timestamp: t0 + i * 1_000 })),
    );
    const offsets: number[] = [];
    const listener = await suite.start({ topics: [topic], groupId }, (batch) => {
      batch.records.forEach((r: KafkaRecord) => offsets.push(r.offset));
    });
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });
    expect(offsets).toHaveLength(100);

    listener.registry.seek('test-listener', topic, 0, { timestamp: t0 + 60_500 });
    await eventually(() => offsets.length >= 139, 'the replay from offset 61');
    expect(offsets.slice(100)).toEqual([...Array(39).keys()].map((i) => 61 + i));

    listener.registry.seek('test-listener', topic, 0, 'beginning');
    await eventually(() => offsets.length >= 239, 'the replay from the beginning');
    expect(offsets[139]).toBe(0);
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });
  });

  it('holds the partition (no commit past the record) while the dead-letter topic cannot be written, and moves on once it can', async () => {
    const { topic, groupId } = await suite.newTopic('dlt_down', 1);
    await produceRecords(topic, [{ value: { i: 0 } }, { value: 'not json' }, { value: { i: 2 } }]);
    const handled: number[] = [];
    // An illegal topic name: creating or writing it fails, until the test names a real topic.
    let deadLetterTopic = 'illegal topic name!';
    const { registry } = await suite.start(
      { topics: [topic], groupId, deadLetter: { topic: () => deadLetterTopic } },
      (batch) => batch.values.forEach((v: { i: number }) => handled.push(v.i)),
    );
    const container = registry.get('test-listener');
    await eventually(() => container.inFlightRecords === 3, 'the listener to fetch the three records');
    const heldSince = container.lastPollAt;
    await eventually(() => container.lastPollAt - heldSince >= 3_000, 'three seconds of polls while held');
    expect(handled).toEqual([]);
    expect(container.inFlightRecords).toBe(3);
    expect((await admin.lag(groupId, topic)).total).toBe(3);

    deadLetterTopic = `${topic}.DLT`;
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });
    expect(handled).toEqual([0, 2]);
    const dead = await readTopic(deadLetterTopic, 1, 1);
    expect(dead.map((d) => d.value?.toString())).toEqual(['not json']);
  });

  it('on shutdown mid-batch lets the batch finish, commits it, and loses nothing', async () => {
    const { topic, groupId } = await suite.newTopic('shutdown', 2);
    await produceRecords(
      topic,
      Array.from({ length: 2_000 }, (_, i) => ({ key: `k${i}`, value: { i } })),
    );
    const done = new Set<number>();
    let inBatch = false;
    const handler = async (batch: { values: ReadonlyArray<{ i: number }> }) => {
      inBatch = true;
      await sleep(200);
      batch.values.forEach((v) => done.add(v.i));
      inBatch = false;
    };
    const first = await suite.start({ topics: [topic], groupId, maxPollRecords: 100 }, handler);
    await eventually(() => inBatch && done.size > 0, 'a batch in flight');
    const closing = Date.now();
    await first.close();
    // Commit answers arrive only while the consumer polls: a close that waited for a lost answer took 60 s.
    expect(Date.now() - closing).toBeLessThan(5_000);
    expect(inBatch).toBe(false);
    const committed = await admin.committedOffsets(groupId, topic);
    const committedTotal = [...committed.values()].reduce((a, b) => a + b, 0);
    // Everything handled was committed at shutdown (single producer: offsets per partition are dense).
    expect(committedTotal).toBe(done.size);

    await suite.start({ topics: [topic], groupId, maxPollRecords: 100 }, handler);
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 60_000 });
    expect(done.size).toBe(2_000);
  });
});
