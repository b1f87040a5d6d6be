import { startListener, TOPIC, tp, values } from '../fakes/listener.harness';

describe('seeks (fake consumer)', () => {
  it('a seek asked for during a running batch applies when it ends; records fetched before it are dropped', async () => {
    let finish!: () => void;
    const h = await startListener({ maxPollRecords: 4 }, (_batch, _ack, call) => {
      if (call === 1) return new Promise<void>((resolve) => (finish = resolve));
    });
    h.consumer.produce(TOPIC, 0, values(12));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(
      () => h.invocations.length === 1 && h.container.inFlightRecords === 12,
      'a batch and a full buffer',
    );
    h.container.seek(TOPIC, 0, 1);
    await h.clock.advance(1_000);
    expect(h.consumer.calls.filter((c) => c.startsWith('seek'))).toEqual([]);
    finish();
    await h.clock.until(() => h.consumer.calls.includes('seek t[0]@1'), 'the seek');
    // A fetch under way when the seek was asked for still returns records of the old position.
    h.consumer.stale = h.consumer.records(TOPIC, 0, 8, 12);
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 12, 'the replay');
    expect(h.invocations.map((i) => i.records.map((r) => r.offset))).toEqual([
      [0, 1, 2, 3],
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9, 10, 11],
    ]);
    await h.stop();
  });

  it('seeks to a timestamp, to the beginning and to the end, and refuses a partition it does not hold', async () => {
    const h = await startListener({ maxPollRecords: 100 });
    const t0 = h.clock.now() - 100_000;
    for (let i = 0; i < 10; i++) h.consumer.produce(TOPIC, 0, values(1, i), { timestamp: t0 + i * 1_000 });
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 10, 'the first pass');
    h.container.seek(TOPIC, 0, { timestamp: t0 + 6_500 });
    await h.clock.until(() => h.handled().length === 13, 'the replay from offset 7');
    h.container.seek(TOPIC, 0, 'beginning');
    await h.clock.until(() => h.handled().length === 23, 'the replay from the beginning');
    h.container.seek(TOPIC, 0, 'end');
    await h.clock.until(() => h.consumer.calls.includes('seek t[0]@-1'), 'the seek to the end');
    h.consumer.produce(TOPIC, 0, values(1, 10));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 11, 'the new record');
    expect(h.handled().slice(10)).toEqual([
      ...['0@7', '0@8', '0@9'],
      ...[...Array(10).keys()].map((o) => `0@${o}`),
      '0@10',
    ]);
    expect(() => h.container.seek(TOPIC, 5, 0)).toThrow('L: t[5] is not assigned to this consumer');
    await h.stop();
  });
});
