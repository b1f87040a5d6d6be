import { OwnershipEvent, allOwnedSince, unownedMs } from '../../partition-ownership';

const assigned = (at: number, ...partitions: number[]): OwnershipEvent => ({
  kind: 'assigned',
  partitions,
  at,
});
const revoked = (at: number, ...partitions: number[]): OwnershipEvent => ({
  kind: 'revoked',
  partitions,
  at,
});

describe('unownedMs', () => {
  it('sums, over partitions, the time from each release to the next assignment', () => {
    const events = [assigned(0, 0, 1, 2), revoked(1_000, 1, 2), assigned(1_500, 1), assigned(3_000, 2)];
    expect(unownedMs(events, 0)).toBe(500 + 2_000);
  });

  it('reads the events in time order, whichever process reported first', () => {
    expect(unownedMs([assigned(1_400, 0), revoked(1_000, 0)], 0)).toBe(400);
  });

  it('counts neither events before `from` nor a release never followed by an assignment', () => {
    const events = [revoked(100, 0), assigned(200, 0), revoked(1_000, 1)];
    expect(unownedMs(events, 150)).toBe(0);
  });
});

describe('allOwnedSince', () => {
  it('gives the start of the last stretch in which every partition had an owner', () => {
    const events = [assigned(0, 0, 1), assigned(100, 2), revoked(1_000, 2), assigned(21_000, 2)];
    expect(allOwnedSince(events, 3)).toBe(21_000);
  });

  it('is undefined while a partition has no owner', () => {
    expect(allOwnedSince([assigned(0, 0, 1, 2), revoked(1_000, 2)], 3)).toBeUndefined();
    expect(allOwnedSince([assigned(0, 0, 1)], 3)).toBeUndefined();
  });

  it('is not broken by an empty assignment (cooperative rebalances report them)', () => {
    expect(allOwnedSince([assigned(0, 0, 1, 2), assigned(500)], 3)).toBe(0);
  });
});
