import { RETRY_HEADERS } from '../../../src/failure/retry-topics';
import { startListener, TOPIC, tp, values } from '../fakes/listener.harness';

const RETRY = `${TOPIC}-retry-5000`;
const retryPartition = (partition: number) => ({ topic: RETRY, partition });
const dueIn = (now: number, ms: number) => ({ headers: [{ [RETRY_HEADERS.dueAt]: String(now + ms) }] });

describe('retry topics (fake consumer)', () => {
  it('hands a retry topic record over once due, its partition paused meanwhile, while the source topic flows', async () => {
    const h = await startListener({ retryTopics: { delaysMs: [5_000] }, maxPollRecords: 10, concurrency: 2 });
    h.consumer.produce(RETRY, 0, [{ i: 'retried' }], dueIn(h.clock.now(), 5_000));
    h.consumer.produce(TOPIC, 0, values(2));
    h.consumer.assignPartitions(tp(0), retryPartition(0));
    const handledValues = () =>
      h.invocations.flatMap((i) => i.records.map((r) => (r.value as { i: unknown }).i));

    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 2, 'the source records');
    expect(handledValues()).toEqual([0, 1]);
    expect(h.consumer.isPaused(RETRY, 0)).toBe(true);
    expect(h.container.pausedPartitions()).toContainEqual({
      topic: RETRY,
      partition: 0,
      reasons: ['retry-delay'],
    });

    h.consumer.produce(TOPIC, 0, values(1, 2));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 3, 'a later source record');
    await h.clock.advance(4_000);
    expect(handledValues()).toEqual([0, 1, 2]);
    expect(h.consumer.committedAt(RETRY, 0)).toBeUndefined();

    await h.clock.until(() => h.consumer.committedAt(RETRY, 0) === 1, 'the retried record');
    expect(handledValues()).toEqual([0, 1, 2, 'retried']);
    expect(h.invocations.at(-1)!.at).toBeGreaterThanOrEqual(h.clock.now() - 1_000);
    expect(h.consumer.isPaused(RETRY, 0)).toBe(false);
    await h.stop();
  });

  it('takes the due records of a retry partition and holds the rest until theirs', async () => {
    const h = await startListener({ retryTopics: { delaysMs: [5_000] }, maxPollRecords: 10 });
    const now = h.clock.now();
    h.consumer.produce(RETRY, 0, [{ i: 'a' }], dueIn(now, 0));
    h.consumer.produce(RETRY, 0, [{ i: 'b' }], dueIn(now, 0));
    h.consumer.produce(RETRY, 0, [{ i: 'c' }], dueIn(now, 3_000));
    h.consumer.assignPartitions(retryPartition(0));

    await h.clock.until(() => h.consumer.committedAt(RETRY, 0) === 2, 'the due records');
    expect(h.invocations.map((i) => i.records.map((r) => (r.value as { i: string }).i))).toEqual([
      ['a', 'b'],
    ]);
    await h.clock.until(() => h.consumer.committedAt(RETRY, 0) === 3, 'the last one');
    expect(h.invocations.at(-1)!.at - now).toBeGreaterThanOrEqual(3_000);
    await h.stop();
  });
});
