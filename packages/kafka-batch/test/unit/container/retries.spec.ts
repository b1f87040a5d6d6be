import { BatchListenerFailedError } from '../../../src/failure/retry.policy';
import { startListener, TOPIC, tp, values } from '../fakes/listener.harness';

const outage = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const retry = { attempts: 3, initialDelayMs: 100, multiplier: 2, maxDelayMs: 150 };

describe('retries, bisection and transient failures (fake consumer)', () => {
  it('retries a failing batch with exponential backoff capped at maxDelayMs, then dead-letters it (bisect off)', async () => {
    const h = await startListener({ maxPollRecords: 3, retry: { ...retry, bisect: false } }, () => {
      throw new Error('constraint violated');
    });
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 3, 'the commit past the dead letters');
    const at = h.invocations.map((i) => i.at);
    expect(at.slice(1).map((t, i) => t - at[i])).toEqual([100, 150]);
    expect(h.deadLetters.offsets()).toEqual(['t[0]@0', 't[0]@1', 't[0]@2']);
    expect(h.deadLetters.published.map((l) => [l.attempts, l.reason.message])).toEqual([
      [3, 'constraint violated'],
      [3, 'constraint violated'],
      [3, 'constraint violated'],
    ]);
    await h.stop();
  });

  it('bisects a batch that keeps failing down to the failing record; only that one is dead-lettered', async () => {
    const h = await startListener({ maxPollRecords: 8, retry: { ...retry, attempts: 2 } }, (batch) => {
      if (batch.values.some((v: { i: number }) => v.i === 5)) throw new Error('check constraint "positive"');
    });
    h.consumer.produce(TOPIC, 0, values(8));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 8, 'the commit');
    const sizes = h.invocations.map((i) => i.records.map((r) => r.offset));
    // Two attempts on the whole, then halves: [0-3] ok, [4-7] fails, [4,5] fails, [4] ok, [5] fails, [6,7] ok.
    expect(sizes).toEqual([
      [0, 1, 2, 3, 4, 5, 6, 7],
      [0, 1, 2, 3, 4, 5, 6, 7],
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [4, 5],
      [4],
      [5],
      [6, 7],
    ]);
    expect(h.deadLetters.offsets()).toEqual(['t[0]@5']);
    expect(h.deadLetters.published[0].attempts).toBe(5);
    await h.stop();
  });

  it('BatchListenerFailedError: records before it are done, it alone is retried and dead-lettered, those after are handled again', async () => {
    const h = await startListener({ maxPollRecords: 6, retry }, (batch) => {
      for (const record of batch.records)
        if (record.offset === 2) throw new BatchListenerFailedError('bad reading', record);
    });
    h.consumer.produce(TOPIC, 0, values(6));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 6, 'the commit');
    expect(h.invocations.map((i) => i.records.map((r) => r.offset))).toEqual([
      [0, 1, 2, 3, 4, 5],
      [2, 3, 4, 5],
      [2, 3, 4, 5],
      [3, 4, 5],
    ]);
    expect(h.deadLetters.offsets()).toEqual(['t[0]@2']);
    expect(h.deadLetters.published[0].reason.name).toBe('BatchListenerFailedError');
    await h.stop();
  });

  it('a transient failure is never counted as an attempt nor dead-lettered; its backoff grows per partition', async () => {
    let failures = 0;
    const h = await startListener(
      { maxPollRecords: 5, retry: { attempts: 1, initialDelayMs: 100, multiplier: 2, maxDelayMs: 1_000 } },
      () => {
        if (failures++ < 5) throw outage();
      },
    );
    h.consumer.produce(TOPIC, 0, values(5));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 5, 'the commit after the outage');
    const at = h.invocations.map((i) => i.at);
    expect(at.slice(1).map((t, i) => t - at[i])).toEqual([100, 200, 400, 800, 1_000]);
    expect(h.deadLetters.calls).toBe(0);
    expect(h.logger.of('warn')[0]).toMatch(
      /^L: transient failure on t\[0\]@0 \(1 in a row, not counted as an attempt\), delivering again in 100 ms: connect ECONNREFUSED/,
    );
    await h.stop();
  });

  it("revoking one partition cuts short only that partition's retry backoff", async () => {
    const h = await startListener(
      {
        maxPollRecords: 1,
        concurrency: 2,
        retry: { attempts: 2, initialDelayMs: 10_000, multiplier: 1, maxDelayMs: 10_000 },
      },
      (_batch, _ack, call) => {
        if (call <= 2) throw new Error('fails once');
      },
    );
    h.consumer.produce(TOPIC, 0, values(1));
    h.consumer.produce(TOPIC, 1, values(1));
    h.consumer.assignPartitions(tp(0), tp(1));
    await h.clock.until(() => h.invocations.length === 2, 'both partitions failing once');
    const failedAt = h.invocations[1].at;
    h.consumer.revokePartitions([tp(0)]);
    await h.clock.until(() => h.consumer.calls.includes('unassign t[0]'), 'the revoke');
    // Partition 0's batch ended at once; partition 1 still waits out its 10 s before the retry.
    expect(h.clock.now() - failedAt).toBeLessThan(1_000);
    expect(h.invocations).toHaveLength(2);
    await h.clock.until(() => h.invocations.length === 3, "partition 1's retry");
    expect(h.invocations[2]).toMatchObject({ at: failedAt + 10_000, records: [{ partition: 1, offset: 0 }] });
    // The interrupted record of partition 0 was neither committed nor dead-lettered.
    expect(h.consumer.committedAt(TOPIC, 0)).toBeUndefined();
    expect(h.deadLetters.calls).toBe(0);
    await h.stop();
  });
});
