import type { Clock } from '../../../src/common/clock';

interface Timer {
  at: number;
  order: number;
  task: () => void;
}

/** Lets every promise chain that can move, move: a few turns of the event loop, no time passes. */
export async function settle(): Promise<void> {
  for (let turn = 0; turn < 20; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Time that passes only when a test says so. Timers run in order of due time, and promises settle
 * after each, so a test sees every step a real clock would take, without waiting.
 */
export class FakeClock implements Clock {
  private time = Date.UTC(2026, 11, 4);
  private order = 0;
  private readonly timers: Timer[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        cancel();
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const cancel = this.schedule(ms, done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  schedule(ms: number, task: () => void): () => void {
    const timer = { at: this.time + Math.max(0, ms), order: this.order++, task };
    this.timers.push(timer);
    return () => {
      const index = this.timers.indexOf(timer);
      if (index >= 0) this.timers.splice(index, 1);
    };
  }

  /** Synchronous work that takes `ms`: time moves on, and timers due meanwhile run at the next advance. */
  spend(ms: number): void {
    this.time += ms;
  }

  /** Moves time forward by `ms`, running the timers due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await settle();
      const next = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!next) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.time = Math.max(this.time, next.at);
      next.task();
    }
    this.time = end;
    await settle();
  }

  /** Advances in steps until `condition` holds; fails after `limitMs` of fake time. */
  async until(condition: () => boolean, what: string, limitMs = 120_000, stepMs = 50): Promise<void> {
    for (let waited = 0; !condition(); waited += stepMs) {
      if (waited >= limitMs) throw new Error(`still waiting after ${limitMs} ms of fake time for ${what}`);
      await this.advance(stepMs);
    }
  }
}
