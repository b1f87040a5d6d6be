import { KafkaBatchConfigError } from '../config/listener-options.resolver';

/**
 * What of a `Transport.KAFKA` options object cannot run on the library, each with the option's
 * path and why: all are reported at once, so one restart shows every setting to change.
 */
export class TranslationProblems {
  private readonly problems: string[] = [];

  add(path: string, why: string): void {
    this.problems.push(`"${path}" ${why}`);
  }

  throwIfAny(): void {
    if (this.problems.length === 0) return;
    throw new KafkaBatchConfigError(
      `KafkaBatchTransport cannot take these Transport.KAFKA options:\n- ${this.problems.join('\n- ')}\n(see docs/MIGRATING.md)`,
    );
  }
}
