import { Clock, systemClock } from './clock';

export type Bounded<T> = { timedOut: false; value: T } | { timedOut: true };

/**
 * Waits for `work` at most `ms`. Its rejection propagates; after a timeout it keeps running, unwatched,
 * and its timer never outlives the race. The library's one way to bound a wait.
 */
export async function withTimeout<T>(
  work: Promise<T>,
  ms: number,
  clock: Clock = systemClock,
): Promise<Bounded<T>> {
  let cancelTimer!: () => void;
  const timeout = new Promise<Bounded<T>>((resolve) => {
    cancelTimer = clock.schedule(ms, () => resolve({ timedOut: true }));
  });
  const watched = work.then((value): Bounded<T> => ({ timedOut: false, value }));
  // A rejection that comes after the timeout has no one left to tell.
  watched.catch(() => undefined);
  try {
    return await Promise.race([watched, timeout]);
  } finally {
    cancelTimer();
  }
}
