import { startListener, TOPIC, tp, values } from '../fakes/listener.harness';

const offsets = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `0@${from + i}`);

describe('acknowledgement (fake consumer)', () => {
  it('commits the whole batch once the handler returns, in ackMode batch', async () => {
    const h = await startListener({ ackMode: 'batch', maxPollRecords: 10 });
    h.consumer.produce(TOPIC, 0, values(10));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 10, 'the commit of offset 10');
    expect(h.handled()).toEqual(offsets(0, 10));
    expect(h.consumer.calls.filter((c) => c.startsWith('commit'))).toEqual(['commit t[0]@10']);
    await h.stop();
  });

  it('commits a manual batch only when acknowledge() is called', async () => {
    const h = await startListener({ ackMode: 'manual', maxPollRecords: 5 }, (_batch, ack, call) => {
      if (call > 1) ack.acknowledge();
    });
    h.consumer.produce(TOPIC, 0, values(5));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.invocations.length === 2, 'the redelivery');
    // The first invocation acknowledged nothing: nothing committed, and the same records came back.
    expect(h.invocations.map((i) => i.records.map((r) => r.offset))).toEqual([
      [0, 1, 2, 3, 4],
      [0, 1, 2, 3, 4],
    ]);
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 5, 'the commit after the acknowledgement');
    expect(h.consumer.calls.filter((c) => c.startsWith('commit'))).toEqual(['commit t[0]@5']);
    expect(h.logger.of('warn')).toEqual(['L: t[0]@0 and after were not acknowledged; delivering them again']);
    await h.stop();
  });

  it('acknowledges each partition up to the record given, and redelivers the rest of that partition only', async () => {
    const h = await startListener({ ackMode: 'manual', maxPollRecords: 20 }, (batch, ack, call) => {
      if (call > 1) return ack.acknowledge();
      const [p0, p1] = batch.partitions;
      ack.acknowledge(p0.records[2]);
      ack.acknowledge(p1.records[p1.records.length - 1]);
    });
    h.consumer.produce(TOPIC, 0, values(5));
    h.consumer.produce(TOPIC, 1, values(5));
    h.consumer.assignPartitions(tp(0), tp(1));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 5, 'partition 0 done');
    expect(h.invocations[0].records.map((r) => `${r.partition}@${r.offset}`)).toHaveLength(10);
    expect(h.invocations[1].records.map((r) => `${r.partition}@${r.offset}`)).toEqual(['0@3', '0@4']);
    expect(h.consumer.committedAt(TOPIC, 1)).toBe(5);
    // The partial commit came first: 0 up to its acknowledged record, 1 whole.
    expect(h.consumer.calls.filter((c) => c.startsWith('commit'))[0]).toBe('commit t[0]@3 t[1]@5');
    await h.stop();
  });

  it('nack(record, backoff) commits what precedes it and pauses only its partition for the backoff', async () => {
    const h = await startListener({ ackMode: 'manual', maxPollRecords: 20 }, (batch, ack, call) => {
      const p0 = batch.partitions.find((p) => p.partition === 0);
      if (call === 1 && p0) {
        ack.acknowledge(p0.records[1]);
        ack.nack(p0.records[2], { backoffMs: 5_000 });
        for (const p of batch.partitions) if (p.partition !== 0) ack.acknowledge(p.records.at(-1));
        return;
      }
      ack.acknowledge();
    });
    h.consumer.produce(TOPIC, 0, values(5));
    h.consumer.produce(TOPIC, 1, values(5));
    h.consumer.assignPartitions(tp(0), tp(1));
    await h.clock.until(() => h.invocations.length === 1, 'the first batch');
    const nackedAt = h.invocations[0].at;
    await h.clock.advance(100);
    expect(h.consumer.committedAt(TOPIC, 0)).toBe(2);
    expect(h.container.pausedPartitions()).toEqual([{ topic: TOPIC, partition: 0, reasons: ['backoff'] }]);
    // Partition 1 goes on during the backoff.
    h.consumer.produce(TOPIC, 1, values(3, 5));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 1) === 8, 'partition 1 during the backoff');
    expect(h.handled().filter((o) => o.startsWith('0@')).length).toBe(5);
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 5, 'the redelivery of partition 0');
    const redelivery = h.invocations.find((i) => i.records[0].partition === 0 && i.records[0].offset === 2)!;
    expect(redelivery.at - nackedAt).toBe(5_000);
    expect(h.container.pausedPartitions()).toEqual([]);
    await h.stop();
  });

  it('in ackMode record, invokes the handler per record and commits each', async () => {
    const h = await startListener({ ackMode: 'record', maxPollRecords: 3 });
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 3, 'the commit');
    expect(h.invocations.map((i) => i.records.map((r) => r.offset))).toEqual([[0], [1], [2]]);
    await h.stop();
  });
});

describe('a record listener when its partition is revoked mid-batch (fake consumer)', () => {
  it('finishes the record under way, leaves the rest for the next owner, and commits what was handled', async () => {
    // ackMode 'batch': the batch's outcome is applied when it ends: one commit, by the revoke.
    let finish!: () => void;
    const h = await startListener(
      { listenerType: 'record', ackMode: 'batch', maxPollRecords: 5 },
      (_record, _ack, call) => {
        if (call === 2) return new Promise<void>((resolve) => (finish = resolve));
      },
    );
    h.consumer.produce(TOPIC, 0, values(5));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.invocations.length === 2, 'the second record under way');
    h.consumer.revokePartitions([tp(0)]);
    await h.clock.advance(1_000);
    finish();
    await h.clock.until(() => h.consumer.calls.includes('unassign t[0]'), 'the unassign');
    expect(h.handled()).toEqual(['0@0', '0@1']);
    expect(h.consumer.calls.filter((c) => c.startsWith('commit'))).toEqual(['commit t[0]@2']);
    await h.stop();
  });
});

describe('record listeners with each ackMode (fake consumer)', () => {
  const commits = (h: Awaited<ReturnType<typeof startListener>>) =>
    h.consumer.calls.filter((c) => c.startsWith('commit'));

  it("ackMode 'record': a commit after each record", async () => {
    const h = await startListener({ listenerType: 'record', ackMode: 'record', maxPollRecords: 10 });
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 3, 'the commits');
    expect(commits(h)).toEqual(['commit t[0]@1', 'commit t[0]@2', 'commit t[0]@3']);
    await h.stop();
  });

  it("ackMode 'batch': one commit once every record of the batch was handled", async () => {
    const h = await startListener({ listenerType: 'record', ackMode: 'batch', maxPollRecords: 10 });
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 3, 'the commit');
    expect(commits(h)).toEqual(['commit t[0]@3']);
    expect(h.invocations.map((i) => i.records.map((r) => r.offset))).toEqual([[0], [1], [2]]);
    await h.stop();
  });

  it("ackMode 'manual': what the handler acknowledges; an unacknowledged or nacked record and the rest of its partition come again", async () => {
    const once = new Set<string>();
    const first = (what: string) => !once.has(what) && once.add(what) !== undefined;
    const h = await startListener(
      { listenerType: 'record', ackMode: 'manual', maxPollRecords: 10, concurrency: 2 },
      (record, ack) => {
        if (record.partition === 0 && record.offset === 1 && first('silent')) return;
        if (record.partition === 1 && record.offset === 0 && first('nack'))
          return ack.nack(record, { backoffMs: 2_000 });
        ack.acknowledge();
      },
    );
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.produce(TOPIC, 1, values(2));
    h.consumer.assignPartitions(tp(0), tp(1));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 3, 'partition 0');
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 1) === 2, 'partition 1');
    // After a record went unacknowledged or nacked, the rest of its partition waited for its redelivery.
    expect(h.handled().filter((r) => r.startsWith('0@'))).toEqual(['0@0', '0@1', '0@1', '0@2']);
    expect(h.handled().filter((r) => r.startsWith('1@'))).toEqual(['1@0', '1@0', '1@1']);
    const nacked = h.invocations.filter((i) => i.records[0].partition === 1 && i.records[0].offset === 0);
    expect(nacked[1].at - nacked[0].at).toBe(2_000);
    expect(h.logger.of('warn')).toEqual(['L: t[0]@1 and after were not acknowledged; delivering them again']);
    await h.stop();
  });

  it("a batch listener cannot take ackMode 'record'", async () => {
    await expect(startListener({ listenerType: 'batch', ackMode: 'record' })).rejects.toThrow(
      `@BatchListener "L": option "ackMode" 'record' needs listenerType 'record'`,
    );
  });
});
