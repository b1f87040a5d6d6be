import { startListener, TOPIC, tp, values } from '../fakes/listener.harness';

describe('backpressure (fake consumer)', () => {
  it('a full budget holds the polls for a second, then pauses every partition, which resume once it has drained to half', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const h = await startListener({ maxPollRecords: 5, maxInFlightRecords: 20, concurrency: 2 }, () => stuck);
    const inFlightAtResume: number[] = [];
    const pausedAt: number[] = [];
    let pollsBeforePause = 0;
    const pause = h.consumer.pause.bind(h.consumer);
    h.consumer.pause = (partitions) => {
      pausedAt.push(h.clock.now());
      pollsBeforePause = h.consumer.consumeCalls;
      pause(partitions);
    };
    const resume = h.consumer.resume.bind(h.consumer);
    h.consumer.resume = (partitions) => {
      inFlightAtResume.push(h.container.inFlightRecords);
      resume(partitions);
    };
    h.consumer.produce(TOPIC, 0, values(100));
    h.consumer.produce(TOPIC, 1, values(100));
    h.consumer.assignPartitions(tp(0), tp(1));
    await h.clock.until(() => h.container.inFlightRecords >= 20, 'a full budget', 10_000, 1);
    const polls = h.consumer.consumeCalls;
    const filledAt = h.container.lastPollAt;
    await h.clock.until(() => h.consumer.isPaused(TOPIC, 0), 'the pause', 10_000, 1);
    // During the hold, no consume() call: librdkafka keeps its prefetch.
    expect(pausedAt).toEqual([filledAt + 1_000]);
    expect(pollsBeforePause).toBe(polls);
    expect(h.container.pausedPartitions()).toEqual([
      { topic: TOPIC, partition: 0, reasons: ['backpressure'] },
      { topic: TOPIC, partition: 1, reasons: ['backpressure'] },
    ]);
    // Paused, it polls on: rebalance events and commit answers come only with polls.
    await h.clock.advance(1_000);
    expect(h.consumer.consumeCalls).toBeGreaterThan(polls + 3);
    expect(h.container.inFlightRecords).toBe(20);
    release();
    await h.clock.until(
      () => h.consumer.committedAt(TOPIC, 0) === 100 && h.consumer.committedAt(TOPIC, 1) === 100,
      'the drain',
    );
    expect(inFlightAtResume.length).toBeGreaterThan(0);
    expect(Math.max(...inFlightAtResume)).toBeLessThanOrEqual(10);
    expect(h.container.pausedPartitions()).toEqual([]);
    await h.stop();
  });

  it('the hold ends as soon as a batch frees room, without pausing', async () => {
    const h = await startListener({ maxPollRecords: 5, maxInFlightRecords: 10 }, async () => {
      await new Promise<void>((resolve) => setImmediate(resolve));
    });
    h.consumer.produce(TOPIC, 0, values(200));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 200, 'the drain', 10_000, 1);
    expect(h.consumer.calls.filter((c) => c.startsWith('pause'))).toEqual([]);
    await h.stop();
  });
});
