import type { AppDrainRun } from '../../app-drain/app-drain.run';
import { median, PEAK_RSS_BOUND_BYTES, summarize } from '../../app-drain/app-drain.summary';

const MB = 2 ** 20;

function run(
  role: AppDrainRun['role'],
  readingsPerSecond: number,
  cpuSeconds: number,
  peakRssMb: number,
): AppDrainRun {
  const records = 1_000_000;
  return {
    round: 1,
    role,
    order: 1,
    code: role,
    records,
    rows: records,
    secondsToFirstStored: 2,
    secondsToLagZero: 2 + records / readingsPerSecond,
    drainSeconds: records / readingsPerSecond,
    readingsPerSecond,
    cpuSeconds,
    startupCpuSeconds: 1,
    cpuSecondsPerMillionReadings: cpuSeconds,
    drainCpuSecondsPerMillionReadings: cpuSeconds - 1,
    peakRssBytes: peakRssMb * MB,
    exit: { seconds: 0.5, code: null, signal: 'SIGTERM' },
  };
}

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});

describe('summarize', () => {
  it('waits for a run of each build', () => {
    expect(summarize([run('baseline', 10_000, 60, 300)])).toBeUndefined();
  });

  it('gives candidate ÷ baseline of the medians and judges the goals of issue #19', () => {
    const summary = summarize([
      run('baseline', 10_000, 60, 400),
      run('candidate', 25_000, 18, 200),
      run('candidate', 21_000, 20, 250),
      run('baseline', 12_000, 66, 420),
    ])!;
    expect(summary.baseline).toMatchObject({
      runs: 2,
      readingsPerSecond: 11_000,
      cpuSecondsPerMillionReadings: 63,
    });
    expect(summary.candidate).toMatchObject({ runs: 2, readingsPerSecond: 23_000, peakRssBytes: 225 * MB });
    expect(summary.ratios.readingsPerSecond).toBeCloseTo(23_000 / 11_000);
    expect(summary.ratios.cpuSecondsPerMillionReadings).toBeCloseTo(19 / 63);
    expect(summary.candidateMaxPeakRssBytes).toBe(250 * MB);
    expect(summary.incompleteRuns).toBe(0);
    expect(summary.goals.map((goal) => goal.met)).toEqual([true, true, true, false]);
    expect(summary.goals[2]).toMatchObject({ unit: 'bytes', bound: PEAK_RSS_BOUND_BYTES });
  });

  it('counts runs that stored another number of rows, and notices a candidate rebuilt between runs', () => {
    const rebuilt = { ...run('candidate', 20_000, 20, 200), code: 'other', rows: 999_999 };
    const summary = summarize([
      run('baseline', 10_000, 60, 400),
      run('candidate', 20_000, 20, 200),
      rebuilt,
    ])!;
    expect(summary.incompleteRuns).toBe(1);
    expect(summary.candidateCodeUnchanged).toBe(false);
    // Twice as fast is enough; exactly a third of the CPU is enough.
    expect(summary.goals[1].met).toBe(true);
    expect(
      summarize([run('baseline', 10_000, 60, 400), run('candidate', 10_000, 20, 400)])!.goals[0].met,
    ).toBe(true);
  });
});
