import type { KafkaRecord } from '@org/kafka-batch';
import { produceRecords, waitForCommittedOffsets, waitForLagZero } from '@org/testing';
import { eventually, listenerSuite } from './listener-app';

// Committed offsets are read back from the broker, never from the container.
describe('manual acknowledgement (real broker)', () => {
  const suite = listenerSuite();
  const { admin } = suite;

  async function topicWith(records: number, partitions = 1): Promise<{ topic: string; groupId: string }> {
    const created = await suite.newTopic('ack', partitions);
    await produceRecords(
      created.topic,
      Array.from({ length: records }, (_, i) => ({ key: `k${i}`, value: { i }, partition: i % partitions })),
    );
    return created;
  }

  it('commits the whole batch on acknowledge()', async () => {
    const { topic, groupId } = await topicWith(200, 2);
    await suite.start({ topics: [topic], groupId, ackMode: 'manual' }, (_batch, ack) => ack.acknowledge());
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });
    expect(await admin.committedOffsets(groupId, topic)).toEqual(await admin.endOffsets(topic));
  });

  it('commits exactly up to the acknowledged record and delivers the rest again', async () => {
    const { topic, groupId } = await topicWith(100);
    const firstOffsets: number[] = [];
    await suite.start({ topics: [topic], groupId, ackMode: 'manual', maxPollRecords: 100 }, (batch, ack) => {
      firstOffsets.push(batch.records[0].offset);
      if (firstOffsets.length === 1) ack.acknowledge(batch.records.find((r: KafkaRecord) => r.offset === 49));
    });
    await eventually(() => firstOffsets.length >= 3, 'two redeliveries');
    await waitForCommittedOffsets(admin, groupId, topic, new Map([[0, 50]]));

    expect(firstOffsets[0]).toBe(0);
    expect(firstOffsets.slice(1).every((o) => o === 50)).toBe(true);
  });

  it('commits nothing and delivers again when the handler acknowledges nothing', async () => {
    const { topic, groupId } = await topicWith(30);
    let deliveries = 0;
    await suite.start({ topics: [topic], groupId, ackMode: 'manual' }, (batch) => {
      if (batch.records[0].offset === 0) deliveries++;
    });
    await eventually(() => deliveries >= 3, 'the batch delivered three times');
    expect(await admin.committedOffsets(groupId, topic)).toEqual(new Map());
  });

  it('nack(record, backoff) commits what precedes it and pauses only its partition', async () => {
    const { topic, groupId } = await topicWith(40, 2);
    const events: { partition: number; first: number; at: number }[] = [];
    let nackedAt = 0;
    await suite.start({ topics: [topic], groupId, ackMode: 'manual' }, (batch, ack) => {
      for (const p of batch.partitions)
        events.push({ partition: p.partition, first: p.firstOffset, at: Date.now() });
      const p0 = batch.partitions.find((p: { partition: number }) => p.partition === 0);
      if (p0 && nackedAt === 0) {
        nackedAt = Date.now();
        ack.acknowledge(p0.records[4]);
        ack.nack(p0.records[5], { backoffMs: 2_000 });
        for (const p of batch.partitions)
          if (p.partition !== 0) ack.acknowledge(p.records[p.records.length - 1]);
        return;
      }
      ack.acknowledge();
    });
    await eventually(() => nackedAt > 0, 'the nack');
    // During the backoff, partition 0 holds at offset 5 while partition 1 keeps going.
    await waitForCommittedOffsets(
      admin,
      groupId,
      topic,
      new Map([
        [0, 5],
        [1, 20],
      ]),
      { timeoutMs: 1_500 },
    );
    await produceRecords(
      topic,
      Array.from({ length: 10 }, (_, i) => ({ value: { late: i }, partition: 1 })),
    );
    await eventually(
      () => events.some((e) => e.partition === 1 && e.first === 20),
      'partition 1 handled during the backoff',
      1_500,
    );
    expect(events.some((e) => e.partition === 0 && e.first === 5)).toBe(false);

    await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });
    const redelivery = events.find((e) => e.partition === 0 && e.first === 5)!;
    expect(redelivery.at - nackedAt).toBeGreaterThanOrEqual(1_900);
    const partition1During = events.find((e) => e.partition === 1 && e.first === 20)!;
    expect(partition1During.at).toBeLessThan(redelivery.at);
  });
});

// A redelivery seeks the partition back while consume() calls are under way; records fetched from
// the new position by such a call must not be mistaken for stale ones and skipped (issue #9).
describe('redelivery without backoff (real broker)', () => {
  const suite = listenerSuite();
  const { admin } = suite;

  it('handles every record of a partition whose batches are half acknowledged', async () => {
    const records = 1_000;
    const { topic, groupId } = await suite.newTopic('halfack', 1);
    await produceRecords(
      topic,
      Array.from({ length: records }, (_, i) => ({ key: `k${i}`, value: { i }, partition: 0 })),
    );
    const handled = new Set<number>();
    const seenFirst = new Set<number>();
    // A short fetch wait brings the records from the new position back while the consume() call
    // that was under way during the seek has not returned yet.
    await suite.start(
      { topics: [topic], groupId, ackMode: 'manual', maxPollRecords: 100, fetchMaxWaitMs: 10 },
      (batch, ack) => {
        const first = batch.records[0].offset;
        for (const r of batch.records) handled.add(r.offset);
        // The first time a batch starts here, only its first half is acknowledged: the rest is
        // delivered again at once.
        if (seenFirst.has(first) || batch.records.length < 2) return ack.acknowledge();
        seenFirst.add(first);
        ack.acknowledge(batch.records[Math.floor(batch.records.length / 2) - 1]);
      },
    );
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 60_000 });
    const skipped = Array.from({ length: records }, (_, i) => i).filter((o) => !handled.has(o));
    expect({ redeliveries: seenFirst.size > 10, skipped }).toEqual({ redeliveries: true, skipped: [] });
    expect(await admin.committedOffsets(groupId, topic)).toEqual(new Map([[0, records]]));
  });
});

describe('every listener type × ackMode (real broker)', () => {
  const suite = listenerSuite();

  it.each([
    ['batch', 'batch'],
    ['batch', 'manual'],
    ['record', 'batch'],
    ['record', 'record'],
    ['record', 'manual'],
  ] as const)(
    'a %s listener with ackMode %s handles every record once and commits them all',
    async (listenerType, ackMode) => {
      const { topic, groupId } = await suite.newTopic('ack-modes', 2);
      await produceRecords(
        topic,
        Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, value: { i }, partition: i % 2 })),
      );
      const handled: number[] = [];
      const shapes = new Set<string>();
      await suite.start(
        { topics: [topic], groupId, listenerType, ackMode, maxPollRecords: 25 },
        (payload, ack) => {
          const records: readonly KafkaRecord<{ i: number }>[] =
            'records' in payload ? payload.records : [payload];
          shapes.add('records' in payload ? 'batch' : 'record');
          handled.push(...records.map((r) => r.value.i));
          if (ackMode === 'manual') ack.acknowledge();
        },
      );
      await waitForLagZero(suite.admin, groupId, topic, { timeoutMs: 20_000 });
      expect(await suite.admin.committedOffsets(groupId, topic)).toEqual(await suite.admin.endOffsets(topic));
      expect([...shapes]).toEqual([listenerType]);
      expect(handled.sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i));
    },
  );
});
