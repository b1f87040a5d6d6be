import { partitionKey } from '../../../src/common/topic-partition';
import { settle } from '../fakes/fake.clock';
import { startListener, TOPIC, tp, values } from '../fakes/listener.harness';

const commits = (calls: string[]) => calls.filter((c) => c.startsWith('commit'));

describe('commits (fake consumer)', () => {
  it('keeps one commit in flight; what is done meanwhile goes in the next one, never an older offset after a newer', async () => {
    const h = await startListener({ maxPollRecords: 2 });
    h.consumer.answerCommits = 'manual';
    h.consumer.produce(TOPIC, 0, values(6));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.invocations.length === 3, 'three batches');
    // The first commit waits for its answer; the two batches done since have not sent another.
    expect(commits(h.consumer.calls)).toEqual(['commit t[0]@2']);
    h.consumer.answer();
    await settle();
    expect(commits(h.consumer.calls)).toEqual(['commit t[0]@2', 'commit t[0]@6']);
    h.consumer.answer();
    await h.clock.advance(5_000);
    expect(commits(h.consumer.calls)).toHaveLength(2);
    expect(h.consumer.committedAt(TOPIC, 0)).toBe(6);
    await h.stop();
  });

  it('sends a commit the broker rejected again, after a second', async () => {
    const h = await startListener({ maxPollRecords: 6 });
    h.consumer.answerCommits = 'manual';
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.produce(TOPIC, 1, values(3));
    h.consumer.assignPartitions(tp(0), tp(1));
    await h.clock.until(() => commits(h.consumer.calls).length === 1, 'the first commit');
    h.consumer.answer({ rejected: new Set([partitionKey(TOPIC, 1)]) });
    await h.clock.advance(999);
    expect(commits(h.consumer.calls)).toEqual(['commit t[0]@3 t[1]@3']);
    await h.clock.advance(1);
    expect(commits(h.consumer.calls)).toEqual(['commit t[0]@3 t[1]@3', 'commit t[1]@3']);
    h.consumer.answer({ error: new Error('Broker: Coordinator load in progress') });
    await h.clock.advance(1_000);
    expect(commits(h.consumer.calls).at(-1)).toBe('commit t[1]@3');
    expect(commits(h.consumer.calls)).toHaveLength(3);
    h.consumer.answer();
    await settle();
    expect([h.consumer.committedAt(TOPIC, 0), h.consumer.committedAt(TOPIC, 1)]).toEqual([3, 3]);
    expect(h.logger.of('warn')).toEqual([
      'offset commit failed, retrying: the broker rejected the commit for t[1]',
      'offset commit failed, retrying: Broker: Coordinator load in progress',
    ]);
    await h.stop();
  });

  it('with commitIntervalMs, starts at most one commit per interval; what is done meanwhile goes in the next', async () => {
    const h = await startListener({ maxPollRecords: 2, commitIntervalMs: 1_000 });
    h.consumer.produce(TOPIC, 0, values(2));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => commits(h.consumer.calls).length === 1, 'the first commit', 5_000, 10);
    const firstAt = h.clock.now();
    h.consumer.produce(TOPIC, 0, values(4));
    await h.clock.until(() => h.invocations.length === 3, 'two more batches', 5_000, 10);
    expect(h.clock.now() - firstAt).toBeLessThan(1_000);
    expect(commits(h.consumer.calls)).toEqual(['commit t[0]@2']);
    await h.clock.until(() => commits(h.consumer.calls).length === 2, 'the second commit', 5_000, 10);
    expect(h.clock.now() - firstAt).toBeGreaterThanOrEqual(990);
    expect(h.clock.now() - firstAt).toBeLessThanOrEqual(1_010);
    expect(commits(h.consumer.calls)).toEqual(['commit t[0]@2', 'commit t[0]@6']);
    await h.clock.advance(5_000);
    expect(commits(h.consumer.calls)).toHaveLength(2);
    await h.stop();
  });

  it('with commitIntervalMs, a stop commits what is done without waiting for the interval', async () => {
    const h = await startListener({ maxPollRecords: 2, commitIntervalMs: 60_000 });
    h.consumer.produce(TOPIC, 0, values(4));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.invocations.length === 2, 'two batches');
    expect(commits(h.consumer.calls)).toEqual(['commit t[0]@2']);
    const stoppingAt = h.clock.now();
    await h.stop();
    expect(commits(h.consumer.calls)).toEqual(['commit t[0]@2', 'commit t[0]@4']);
    expect(h.clock.now() - stoppingAt).toBeLessThan(60_000);
  });

  it('on stop, lets the running batch finish and waits for the commit of it to be confirmed', async () => {
    let finish!: () => void;
    const h = await startListener(
      { maxPollRecords: 4 },
      () => new Promise<void>((resolve) => (finish = resolve)),
    );
    h.consumer.produce(TOPIC, 0, values(4));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.invocations.length === 1, 'the batch');
    h.consumer.answerCommits = 'manual';
    let stopped = false;
    const stopping = h.container.stop().then(() => (stopped = true));
    await h.clock.advance(1_000);
    expect(h.container.state).toBe('stopping');
    finish();
    await h.clock.until(() => h.consumer.unanswered.length === 1, 'the final commit');
    await h.clock.advance(1_000);
    expect(stopped).toBe(false);
    h.consumer.answer();
    await h.clock.until(() => stopped, 'the stop');
    await stopping;
    expect(h.consumer.committedAt(TOPIC, 0)).toBe(4);
    expect(h.consumer.calls.slice(-3)).toEqual(['pause t[0]', 'commit t[0]@4', 'disconnect']);
  });
});
