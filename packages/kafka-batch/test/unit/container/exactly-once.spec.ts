import { BatchListenerFailedError } from '../../../src/failure/retry.policy';
import { FakeLedger, FakeOffsetStore } from '../fakes/fake.offset-store';
import { Handler, startListener, TOPIC, tp, values } from '../fakes/listener.harness';

const notJson = Buffer.from('{not json');

/** Counts every record it is given in its transaction: a counter per record value. */
const counting: Handler = (batch, _ack, _call, ledger: FakeLedger) => {
  for (const record of batch.records) ledger.add(`i${record.value.i}`);
};

async function exactlyOnce(store: FakeOffsetStore, handler: Handler = counting, options = {}) {
  return startListener({ maxPollRecords: 4, exactlyOnce: true, ...options }, handler, { offsetStore: store });
}

/** Counters of records 0..n-1, as the test expects them: each exactly once. */
const once = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`i${i}`, 1]));

describe('exactly-once mode (fake consumer, fake database)', () => {
  it('commits the handler writes and the next offsets in one transaction, then commits to Kafka', async () => {
    const store = new FakeOffsetStore();
    const h = await exactlyOnce(store);
    h.consumer.produce(TOPIC, 0, values(6));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 6, 'the Kafka commit');
    expect(store.log).toEqual(['read 0', 'commit 0:-1->4', 'commit 0:4->6']);
    expect(Object.fromEntries(store.counters)).toEqual(once(6));
    await h.stop();
  });

  it('starts an assigned partition at its stored offset, before any batch, whatever Kafka committed', async () => {
    const store = new FakeOffsetStore();
    store.storeFromElsewhere(0, 5);
    const h = await exactlyOnce(store);
    h.consumer.committedOffsets.set(`${TOPIC}\u00000`, 2);
    h.consumer.produce(TOPIC, 0, values(8));
    h.consumer.produce(TOPIC, 1, values(2));
    h.consumer.assignPartitions(tp(0), tp(1));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 8, 'partition 0 done');
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 1) === 2, 'partition 1 done');
    // Partition 0 had a row: nothing below 5 reaches the handler. Partition 1 had none: Kafka decides.
    expect(h.handled().filter((r) => r.startsWith('0@'))).toEqual(['0@5', '0@6', '0@7']);
    expect(h.consumer.calls).toContain('seek t[0]@5');
    expect(store.storedAt(1)).toBe(2);
    await h.stop();
  });

  it('keeps assigned partitions from their first batch while the database cannot say where they are', async () => {
    const store = new FakeOffsetStore();
    store.failNext = { operation: 'read', error: new Error('connect ECONNREFUSED'), times: 3 };
    const h = await exactlyOnce(store);
    h.consumer.produce(TOPIC, 0, values(2));
    h.consumer.assignPartitions(tp(0));
    await h.clock.advance(2_500);
    expect(h.invocations).toEqual([]);
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 2, 'the batch once the database answers');
    expect(h.logger.of('warn')).toEqual([
      'cannot read the stored offsets of t[0], trying again in 1000 ms: connect ECONNREFUSED',
      'cannot read the stored offsets of t[0], trying again in 2000 ms: connect ECONNREFUSED',
      'cannot read the stored offsets of t[0], trying again in 4000 ms: connect ECONNREFUSED',
    ]);
    await h.stop();
  });

  it('rolls back a failed invocation: retried records are counted once', async () => {
    const store = new FakeOffsetStore();
    const h = await exactlyOnce(store, (batch, ack, call, ledger) => {
      counting(batch, ack, call, ledger);
      if (call < 3) throw new Error('flaky');
    });
    h.consumer.produce(TOPIC, 0, values(4));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 4, 'the commit');
    expect(h.invocations).toHaveLength(3);
    expect(store.log).toEqual(['read 0', 'rollback', 'rollback', 'commit 0:-1->4']);
    expect(Object.fromEntries(store.counters)).toEqual(once(4));
    await h.stop();
  });

  it('fencing: a stored offset moved by another member refuses the transaction and moves this one there', async () => {
    const store = new FakeOffsetStore();
    // Right after this member's first commit, another one takes the partition and commits through offset 9.
    store.afterCommit = (commits) => (commits === 1 ? store.storeFromElsewhere(0, 10) : undefined);
    const h = await exactlyOnce(store);
    h.consumer.produce(TOPIC, 0, values(12));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 12, 'the Kafka commit');
    expect(store.log).toEqual(['read 0', 'commit 0:-1->4', 'rollback', 'read 0', 'commit 0:10->12']);
    expect(h.consumer.calls).toContain('seek t[0]@10');
    expect(h.logger.of('warn')).toEqual([
      'L: stored offsets moved under this member: t[0] is at 10; the transaction was rolled back; going on from there',
    ]);
    // The refused batch 4..7 counted nothing; 8 and 9 were the other member's to count.
    expect(Object.fromEntries(store.counters)).toEqual({ i0: 1, i1: 1, i2: 1, i3: 1, i10: 1, i11: 1 });
    expect(h.handled()).toEqual(['0@0', '0@1', '0@2', '0@3', '0@10', '0@11']);
    await h.stop();
  });

  it('a commit whose answer was lost is not counted twice: the retry is fenced by its own commit', async () => {
    const store = new FakeOffsetStore();
    store.loseNextCommitAnswer = true;
    const h = await exactlyOnce(store);
    h.consumer.produce(TOPIC, 0, values(4));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 4, 'the Kafka commit');
    expect(store.log).toEqual(['read 0', 'commit 0:-1->4', 'rollback', 'read 0']);
    expect(Object.fromEntries(store.counters)).toEqual(once(4));
    // The redelivery is fenced before the handler runs: the offsets move first in each transaction.
    expect(h.invocations).toHaveLength(1);
    await h.stop();
  });

  it('moves the stored offset past a dead letter only after its publish was confirmed', async () => {
    const store = new FakeOffsetStore();
    const h = await exactlyOnce(
      store,
      (batch, ack, call, ledger) => {
        counting(batch, ack, call, ledger);
        const poison = batch.records.find((r) => r.value.i === 5);
        if (poison) throw new BatchListenerFailedError('poison', poison);
      },
      { retry: { attempts: 1 } },
    );
    h.consumer.produce(TOPIC, 0, [notJson, ...values(5, 1)]);
    h.deadLetters.hold();
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.deadLetters.calls === 1, 'the undecodable record on its way');
    await h.clock.advance(5_000);
    expect(store.log).toEqual(['read 0']);
    h.deadLetters.release();
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 6, 'the Kafka commit');
    // 0 undecodable, then 1..3 handled; 4 and 5: 4 alone (rolled back with 5), then 5 dead-lettered.
    expect(store.log).toEqual([
      'read 0',
      'commit 0:-1->1',
      'commit 0:1->4',
      'rollback',
      'commit 0:4->5',
      'commit 0:5->6',
    ]);
    expect(h.deadLetters.offsets()).toEqual(['t[0]@0', 't[0]@5']);
    expect(Object.fromEntries(store.counters)).toEqual({ i1: 1, i2: 1, i3: 1, i4: 1 });
    await h.stop();
  });

  it("in ackMode 'record', one transaction per record", async () => {
    const store = new FakeOffsetStore();
    const h = await exactlyOnce(
      store,
      (record, _ack, _call, ledger: FakeLedger) => ledger.add(`i${record.value.i}`),
      { ackMode: 'record' },
    );
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 3, 'the Kafka commit');
    expect(store.log).toEqual(['read 0', 'commit 0:-1->1', 'commit 0:1->2', 'commit 0:2->3']);
    expect(Object.fromEntries(store.counters)).toEqual(once(3));
    await h.stop();
  });

  it('a partition revoked and assigned again starts from the database, not from what this member remembered', async () => {
    const store = new FakeOffsetStore();
    const h = await exactlyOnce(store);
    h.consumer.produce(TOPIC, 0, values(4));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 4, 'the first pass');
    h.consumer.revokePartitions([tp(0)]);
    await h.clock.until(() => h.container.assignment.length === 0, 'the revoke');
    // Meanwhile another member stored through offset 7; Kafka's commit stayed behind.
    store.storeFromElsewhere(0, 8);
    h.consumer.produce(TOPIC, 0, values(6, 4));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => store.storedAt(0) === 10, 'the second pass');
    expect(h.handled()).toEqual(['0@0', '0@1', '0@2', '0@3', '0@8', '0@9']);
    expect(store.log).toEqual(['read 0', 'commit 0:-1->4', 'read 0', 'commit 0:8->10']);
    await h.stop();
  });

  it("rejects ackMode 'manual' at startup, naming the option", async () => {
    await expect(exactlyOnce(new FakeOffsetStore(), counting, { ackMode: 'manual' })).rejects.toThrow(
      `@BatchListener "L": option "ackMode" must be 'batch' or 'record' with exactlyOnce`,
    );
  });
});
