import type { AppDrainRun } from './app-drain.run';
import type { BuildRole } from './app.build';

/** The medians of one build's runs. */
export interface BuildMedians {
  runs: number;
  readingsPerSecond: number;
  cpuSecondsPerMillionReadings: number;
  drainCpuSecondsPerMillionReadings: number;
  peakRssBytes: number;
  secondsToLagZero: number;
  secondsToFirstStored: number;
  startupCpuSeconds: number;
}

export type MedianName = Exclude<keyof BuildMedians, 'runs'>;

/** One of the targets, judged on this run. */
export interface Goal {
  goal: string;
  /** candidate ÷ baseline, or the candidate's own figure for an absolute bound. */
  value: number;
  relation: '≤' | '≥' | '<';
  bound: number;
  /** How value and bound read: a ratio (×) or bytes. */
  unit: 'ratio' | 'bytes';
  met: boolean;
}

const MEETS: Record<Goal['relation'], (value: number, bound: number) => boolean> = {
  '≤': (value, bound) => value <= bound,
  '≥': (value, bound) => value >= bound,
  '<': (value, bound) => value < bound,
};

const goal = (
  text: string,
  value: number,
  relation: Goal['relation'],
  bound: number,
  unit: Goal['unit'] = 'ratio',
): Goal => ({ goal: text, value, relation, bound, unit, met: MEETS[relation](value, bound) });

export interface AppDrainSummary {
  baseline: BuildMedians;
  candidate: BuildMedians;
  /** candidate ÷ baseline of every median. */
  ratios: Record<MedianName, number>;
  /** The candidate's largest peak RSS over its runs (the bound must hold in every one). */
  candidateMaxPeakRssBytes: number;
  /** Runs whose rows stored differ from the records produced. */
  incompleteRuns: number;
  /** Whether the candidate ran the same compiled code in every run (the working tree can be rebuilt meanwhile). */
  candidateCodeUnchanged: boolean;
  goals: Goal[];
}

const MEDIAN_NAMES: MedianName[] = [
  'readingsPerSecond',
  'cpuSecondsPerMillionReadings',
  'drainCpuSecondsPerMillionReadings',
  'peakRssBytes',
  'secondsToLagZero',
  'secondsToFirstStored',
  'startupCpuSeconds',
];

/** Issue #19's bound on peak RSS while draining 1,000,000 readings with the default settings. */
export const PEAK_RSS_BOUND_BYTES = 256 * 2 ** 20;

/** The middle value; for an even count, the mean of the two in the middle. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function mediansOf(runs: readonly AppDrainRun[]): BuildMedians {
  const medians = Object.fromEntries(
    MEDIAN_NAMES.map((name) => [name, median(runs.map((run) => run[name]))]),
  ) as Record<MedianName, number>;
  return { runs: runs.length, ...medians };
}

/** Medians per build and candidate ÷ baseline; undefined until both builds have a run. */
export function summarize(runs: readonly AppDrainRun[]): AppDrainSummary | undefined {
  const of = (role: BuildRole) => runs.filter((run) => run.role === role);
  if (of('baseline').length === 0 || of('candidate').length === 0) return undefined;
  const baseline = mediansOf(of('baseline'));
  const candidate = mediansOf(of('candidate'));
  const ratios = Object.fromEntries(
    MEDIAN_NAMES.map((name) => [name, candidate[name] / baseline[name]]),
  ) as Record<MedianName, number>;
  const candidateMaxPeakRssBytes = Math.max(...of('candidate').map((run) => run.peakRssBytes));
  return {
    baseline,
    candidate,
    ratios,
    candidateMaxPeakRssBytes,
    incompleteRuns: runs.filter((run) => run.rows !== run.records).length,
    candidateCodeUnchanged: new Set(of('candidate').map((run) => run.code)).size === 1,
    goals: [
      goal(
        'CPU per stored reading, whole process, × baseline',
        ratios.cpuSecondsPerMillionReadings,
        '≤',
        1 / 3,
      ),
      goal('drain readings/s, × baseline', ratios.readingsPerSecond, '≥', 2),
      goal('peak RSS of every candidate run', candidateMaxPeakRssBytes, '<', PEAK_RSS_BOUND_BYTES, 'bytes'),
      goal('peak RSS, × baseline (the issue’s title: memory by half)', ratios.peakRssBytes, '≤', 1 / 2),
    ],
  };
}
