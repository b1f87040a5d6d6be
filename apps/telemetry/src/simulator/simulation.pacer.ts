export type SimulationMode = 'steady' | 'burst' | 'backlog';

export interface PacerOptions {
  mode: SimulationMode;
  /** Records per second (steady, and the base rate of bursts). */
  rate: number;
  /** Burst rate as a multiple of `rate`. */
  burstFactor: number;
  burstSeconds: number;
  /** A burst starts every this many seconds. */
  burstEverySeconds: number;
}

/**
 * How many records should have been sent `elapsedMs` into the run. Cumulative, so a pause of
 * the event loop is caught up instead of lost. A backlog goes as fast as the producer allows.
 */
export function recordsDue(options: PacerOptions, elapsedMs: number): number {
  const seconds = elapsedMs / 1000;
  switch (options.mode) {
    case 'backlog':
      return Infinity;
    case 'steady':
      return Math.floor(options.rate * seconds);
    case 'burst': {
      const extra = options.rate * (options.burstFactor - 1);
      const cycles = Math.floor(seconds / options.burstEverySeconds);
      const intoCycle = seconds - cycles * options.burstEverySeconds;
      const burstTime = cycles * options.burstSeconds + Math.min(intoCycle, options.burstSeconds);
      return Math.floor(options.rate * seconds + extra * burstTime);
    }
  }
}

/** Whether `elapsedMs` falls inside a burst (for the progress line). */
export function inBurst(options: PacerOptions, elapsedMs: number): boolean {
  return options.mode === 'burst' && (elapsedMs / 1000) % options.burstEverySeconds < options.burstSeconds;
}
