import type { Point } from './consumer-group.run';

/** A line of a chart: seconds since the scenario started → value. */
export type Series = { x: number; y: number }[];

/** Records per second between consecutive samples of a running count. */
export function ratePerSecond(points: readonly Point[], start: number): Series {
  return points.slice(1).map((point, i) => ({
    x: (point.at - start) / 1000,
    y: (point.value - points[i].value) / ((point.at - points[i].at) / 1000),
  }));
}
