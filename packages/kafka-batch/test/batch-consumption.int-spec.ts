import { produceRecords, readTopic, waitForLagZero } from '@org/testing';
import { DLT_HEADERS, KafkaRecord } from '@org/kafka-batch';
import { listenerSuite, sleep } from './listener-app';

describe('@BatchListener consumption (real broker)', () => {
  const suite = listenerSuite();
  const { admin } = suite;

  it('delivers every record in batches of at most maxPollRecords and commits them', async () => {
    const { topic, groupId } = await suite.newTopic('bound', 3);
    await produceRecords(
      topic,
      Array.from({ length: 1_000 }, (_, i) => ({ key: `k${i}`, value: { i } })),
    );

    const sizes: number[] = [];
    const seen = new Set<number>();
    await suite.start({ topics: [topic], groupId, maxPollRecords: 50 }, (batch) => {
      sizes.push(batch.size);
      batch.values.forEach((v: { i: number }) => seen.add(v.i));
    });
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 30_000 });

    expect(seen.size).toBe(1_000);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(50);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1_000);
  });

  it('keeps offset order within each partition and never handles a partition in two batches at once (concurrency 3)', async () => {
    const { topic, groupId } = await suite.newTopic('order', 6);
    await produceRecords(
      topic,
      Array.from({ length: 3_000 }, (_, i) => ({ key: `device-${i % 60}`, value: { i } })),
    );

    const lastOffset = new Map<number, number>();
    const busy = new Set<number>();
    let overlaps = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    let outOfOrder = 0;
    await suite.start({ topics: [topic], groupId, maxPollRecords: 100, concurrency: 3 }, async (batch) => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      for (const p of batch.partitions) {
        if (busy.has(p.partition)) overlaps++;
        busy.add(p.partition);
        for (const r of p.records) {
          if (r.offset <= (lastOffset.get(p.partition) ?? -1)) outOfOrder++;
          lastOffset.set(p.partition, r.offset);
        }
      }
      await sleep(20);
      batch.partitions.forEach((p) => busy.delete(p.partition));
      concurrent--;
    });
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 60_000 });

    expect(overlaps).toBe(0);
    expect(outOfOrder).toBe(0);
    expect(maxConcurrent).toBeGreaterThan(1);
    expect(maxConcurrent).toBeLessThanOrEqual(3);
    const end = await admin.endOffsets(topic);
    for (const [partition, endOffset] of end) expect(lastOffset.get(partition)).toBe(endOffset - 1);
  });

  it("in ackMode 'record' hands over one record at a time, retrying and dead-lettering only the failing one", async () => {
    const { topic, groupId } = await suite.newTopic('record_mode', 1);
    await produceRecords(
      topic,
      Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: { i } })),
    );
    const calls: number[] = [];
    await suite.start(
      { topics: [topic], groupId, ackMode: 'record', retry: { attempts: 2, initialDelayMs: 10 } },
      (record: KafkaRecord<{ i: number }>) => {
        calls.push(record.value.i);
        if (record.value.i === 4) throw new Error('bad reading');
      },
    );
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });
    expect(calls).toEqual([0, 1, 2, 3, 4, 4, 5, 6, 7, 8, 9]);
    const [dead] = await readTopic(`${topic}.DLT`, 1, 1);
    expect(dead.key).toBe('k4');
    expect(dead.headers[DLT_HEADERS.attempts]).toBe('2');
  });
});
