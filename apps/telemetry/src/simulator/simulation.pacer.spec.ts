import { PacerOptions, recordsDue } from './simulation.pacer';

const base: PacerOptions = {
  mode: 'steady',
  rate: 100,
  burstFactor: 5,
  burstSeconds: 2,
  burstEverySeconds: 10,
};

describe('recordsDue', () => {
  it('grows linearly in steady mode', () => {
    expect(recordsDue(base, 0)).toBe(0);
    expect(recordsDue(base, 2_500)).toBe(250);
  });

  it('adds factor × rate during the bursts at the start of each cycle', () => {
    const burst = { ...base, mode: 'burst' as const };
    expect(recordsDue(burst, 1_000)).toBe(500); // inside the first burst
    expect(recordsDue(burst, 10_000)).toBe(1_000 + 800); // one full burst: 2 s × 400 extra
    expect(recordsDue(burst, 11_000)).toBe(1_100 + 800 + 400);
  });

  it('has no limit for a backlog', () => {
    expect(recordsDue({ ...base, mode: 'backlog' }, 0)).toBe(Infinity);
  });
});
