import type { DeadLetterSink } from '../../../src/failure/dead-letter.recoverer';
import type { DeadLetter, DeadLetterResult } from '../../../src/failure/dead-letter.types';

/**
 * A dead-letter topic in memory. `refuse` decides, per letter and publish call, whether the broker
 * refuses it; `gate` holds every publish until the test opens it.
 */
export class FakeDeadLetters implements DeadLetterSink {
  readonly published: DeadLetter[] = [];
  calls = 0;
  refuse: (letter: DeadLetter, call: number) => Error | undefined = () => undefined;
  closed = 0;
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  async publish(letters: readonly DeadLetter[]): Promise<DeadLetterResult[]> {
    const call = ++this.calls;
    await this.gate;
    return letters.map((letter) => {
      const error = this.refuse(letter, call);
      if (error) return { status: 'failed', error };
      this.published.push(letter);
      return { status: 'published' };
    });
  }

  async close(): Promise<void> {
    this.closed++;
  }

  /** Offsets published, as `topic[partition]@offset`. */
  offsets(): string[] {
    return this.published.map(({ raw }) => `${raw.topic}[${raw.partition}]@${raw.offset}`);
  }
}
