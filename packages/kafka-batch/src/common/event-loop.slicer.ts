import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Cuts long synchronous work (decoding and validating a large batch) into slices, handing the
 * event loop back between them, so health probes, timers and SIGTERM are served meanwhile.
 */
export interface EventLoopSlicer {
  /** The current slice is used up: call `pause()` before the next unit of work. */
  due(): boolean;
  /** Lets pending I/O and timers run; the next slice starts when it resolves. */
  pause(): Promise<void>;
}

/**
 * Slices of `sliceMs` by `now` (the listener's clock). Reading the time is cheap enough for
 * `due()` to run before every record; `pause()` goes through the whole loop (timers, then I/O,
 * then this), which a resolved promise would not.
 */
export function timeSlicer(sliceMs: number, now: () => number): EventLoopSlicer {
  let sliceStart = now();
  return {
    due: () => now() - sliceStart >= sliceMs,
    pause: async () => {
      await nextTurn();
      sliceStart = now();
    },
  };
}
