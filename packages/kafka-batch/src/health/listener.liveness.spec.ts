import { assessLiveness, LivenessSubject } from './listener.liveness';

const NOW = 1_000_000;
const listener = (facts: Partial<LivenessSubject>): LivenessSubject => ({
  state: 'running',
  error: undefined,
  lastPollAt: NOW - 100,
  oldestBatchStartedAt: undefined,
  options: { id: 'l', maxPollIntervalMs: 10_000, maxBatchDurationMs: 5_000 },
  ...facts,
});

describe('assessLiveness', () => {
  it('is alive while the loop polls and batches finish in time', () => {
    expect(assessLiveness(listener({ oldestBatchStartedAt: NOW - 4_000 }), NOW)).toEqual({
      alive: true,
      state: 'running',
      msSinceLastPoll: 100,
      longestBatchMs: 4_000,
    });
  });

  it('is dead after a fatal client error, with the reason', () => {
    const failed = listener({ state: 'failed', error: new Error('fenced') });
    expect(assessLiveness(failed, NOW)).toMatchObject({ alive: false, reason: 'fatal client error: fenced' });
  });

  it('is dead when the loop has not polled within maxPollIntervalMs', () => {
    expect(assessLiveness(listener({ lastPollAt: NOW - 10_001 }), NOW)).toMatchObject({
      alive: false,
      reason: 'the poll loop made no progress for 10001 ms (maxPollIntervalMs 10000)',
    });
  });

  it('is dead when a batch runs longer than maxBatchDurationMs', () => {
    expect(assessLiveness(listener({ oldestBatchStartedAt: NOW - 5_001 }), NOW)).toMatchObject({
      alive: false,
      reason: 'a batch has been running for 5001 ms (maxBatchDurationMs 5000)',
    });
  });

  it('does not restart a listener that is starting or stopped', () => {
    expect(assessLiveness(listener({ state: 'starting', lastPollAt: 0 }), NOW).alive).toBe(true);
    expect(assessLiveness(listener({ state: 'stopped', lastPollAt: 0 }), NOW).alive).toBe(true);
  });
});
