import { PartitionOffsetTracker } from './partition-offset.tracker';

function delivered(...offsets: number[]): PartitionOffsetTracker {
  const tracker = new PartitionOffsetTracker();
  offsets.forEach((o) => tracker.track(o));
  return tracker;
}

describe('PartitionOffsetTracker', () => {
  it('commits nothing before a record is done', () => {
    const tracker = delivered(10, 11, 12);
    expect(tracker.committable()).toBeUndefined();
    tracker.rewindTo(10);
    expect(tracker.committable()).toBeUndefined();
    tracker.track(10);
    tracker.complete(10);
    expect(tracker.committable()).toBe(11);
  });

  it('commits the highest contiguous done offset + 1', () => {
    const tracker = delivered(10, 11, 12, 13);
    tracker.complete(10);
    tracker.complete(12);
    expect(tracker.committable()).toBe(11);
    tracker.complete(11);
    expect(tracker.committable()).toBe(13);
    tracker.complete(13);
    expect(tracker.committable()).toBe(14);
  });

  it('follows delivery order across offset gaps (compaction, transaction markers)', () => {
    const tracker = delivered(5, 9, 20);
    [5, 9].forEach((o) => tracker.complete(o));
    expect(tracker.committable()).toBe(20);
    tracker.complete(20);
    expect(tracker.committable()).toBe(21);
  });

  it('never offers an offset older than one already sent', () => {
    const tracker = delivered(0, 1, 2);
    [0, 1, 2].forEach((o) => tracker.complete(o));
    tracker.commitSent(3);
    expect(tracker.committable()).toBeUndefined();
    tracker.track(3);
    expect(tracker.committable()).toBeUndefined();
    tracker.complete(3);
    expect(tracker.committable()).toBe(4);
  });

  it('offers the offset again after a failed commit', () => {
    const tracker = delivered(0);
    tracker.complete(0);
    tracker.commitSent(1);
    tracker.commitFailed(1);
    expect(tracker.committable()).toBe(1);
    tracker.commitSent(1);
    tracker.commitConfirmed(1);
    expect(tracker.confirmedOffset).toBe(1);
  });

  it('rewinds for redelivery without losing what was done before', () => {
    const tracker = delivered(0, 1, 2, 3, 4);
    [0, 1].forEach((o) => tracker.complete(o));
    tracker.rewindTo(2);
    expect(tracker.committable()).toBe(2);
    expect(tracker.outstandingCount).toBe(0);
    expect(tracker.track(2)).toBe(true);
    tracker.track(3);
    [2, 3].forEach((o) => tracker.complete(o));
    expect(tracker.committable()).toBe(4);
  });

  it('keeps not-done records below the rewind point outstanding', () => {
    const tracker = delivered(0, 1, 2, 3);
    tracker.rewindTo(2);
    expect(tracker.firstOutstanding).toBe(0);
    expect(tracker.outstandingCount).toBe(2);
    expect(tracker.committable()).toBeUndefined();
    tracker.complete(0);
    expect(tracker.committable()).toBe(1);
  });

  it('refuses stale deliveries (at or below the last delivered offset) without a rewind', () => {
    const tracker = delivered(0, 1);
    expect(tracker.track(1)).toBe(false);
    expect(tracker.track(0)).toBe(false);
    expect(tracker.outstandingCount).toBe(2);
  });

  it('ignores completions of offsets it does not track', () => {
    const tracker = delivered(5, 6);
    tracker.complete(3);
    tracker.complete(99);
    expect(tracker.committable()).toBeUndefined();
    tracker.complete(5);
    expect(tracker.committable()).toBe(6);
  });

  it('lets an explicit seek commit backwards (replay)', () => {
    const tracker = delivered(100, 101);
    [100, 101].forEach((o) => tracker.complete(o));
    tracker.commitSent(102);
    tracker.commitConfirmed(102);
    tracker.reset();
    expect(tracker.committable()).toBeUndefined();
    tracker.track(50);
    tracker.complete(50);
    expect(tracker.committable()).toBe(51);
  });

  it('stays correct over long histories (compaction of its own storage)', () => {
    const tracker = new PartitionOffsetTracker();
    for (let o = 0; o < 20_000; o++) tracker.track(o);
    for (let o = 0; o < 19_999; o++) tracker.complete(o);
    expect(tracker.committable()).toBe(19_999);
    expect(tracker.outstandingCount).toBe(1);
    tracker.complete(19_999);
    expect(tracker.committable()).toBe(20_000);
  });

  it('does not hand out again a record done before a rewind (a confirmed dead letter), but counts it done', () => {
    const tracker = delivered(10, 11, 12, 13);
    tracker.complete(10);
    tracker.complete(12);
    tracker.rewindTo(11);
    expect(tracker.committable()).toBe(11);
    expect(tracker.track(11)).toBe(true);
    expect(tracker.track(12)).toBe(false);
    expect(tracker.track(13)).toBe(true);
    tracker.complete(11);
    expect(tracker.committable()).toBe(13);
    tracker.complete(13);
    expect(tracker.committable()).toBe(14);
  });

  it('forgets records done before a rewind once a seek replays the partition', () => {
    const tracker = delivered(10, 11, 12);
    tracker.complete(12);
    tracker.rewindTo(11);
    tracker.reset();
    tracker.track(12);
    expect(tracker.committable()).toBeUndefined();
  });
});
