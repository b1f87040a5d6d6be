import type { LatencyBuckets } from './latency.histogram';

/**
 * What a consumer under test tells the harness on stdout, one line each: `ready` once it
 * consumes, then `tick <json>` at a fixed interval and once more when it stops.
 */
export interface ProgressTick {
  /** When the tick was written (ms since the epoch). */
  at: number;
  /** Records done so far: their rows committed (or, for the bare loop, consumed). */
  handled: number;
  /** When the first and the latest records were done; null before any. */
  firstAt: number | null;
  lastAt: number | null;
  /** Produce timestamp → row committed, for the records done since the previous tick. */
  latency: LatencyBuckets;
}

export const READY_LINE = 'ready';
const TICK_PREFIX = 'tick ';

export const formatTick = (tick: ProgressTick): string => `${TICK_PREFIX}${JSON.stringify(tick)}`;

export function parseTick(line: string): ProgressTick | undefined {
  return line.startsWith(TICK_PREFIX)
    ? (JSON.parse(line.slice(TICK_PREFIX.length)) as ProgressTick)
    : undefined;
}
