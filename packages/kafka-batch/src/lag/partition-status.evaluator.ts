import type { LagStatus } from './lag-status';

/** One sample of a partition's committed offset and lag. */
export interface OffsetSample {
  offset: number;
  lag: number;
  at: number;
}

/**
 * Burrow's evaluation over a sliding window of samples of one partition. Only a window in which
 * the lag never reached zero is suspicious; then, in order: the offset went backwards (REWIND);
 * it never moved (STALL when this member's poll loop is alive and holds the partition, STOP
 * when nothing is consuming it); the lag never shrank (WARN). STALL and WARN need a full window,
 * so a consumer that has just started is not judged on two samples.
 */
export function evaluatePartitionStatus(
  window: readonly OffsetSample[],
  windowSize: number,
  consuming: boolean,
): LagStatus {
  if (window.length < 2 || window.some((s) => s.lag <= 0)) return 'OK';
  for (let i = 1; i < window.length; i++) if (window[i].offset < window[i - 1].offset) return 'REWIND';
  if (window.length < windowSize) return 'OK';
  if (window.every((s) => s.offset === window[0].offset)) return consuming ? 'STALL' : 'STOP';
  for (let i = 1; i < window.length; i++) if (window[i].lag < window[i - 1].lag) return 'OK';
  return 'WARN';
}
