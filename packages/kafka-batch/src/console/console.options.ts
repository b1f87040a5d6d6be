import type { CanActivate, Type } from '@nestjs/common';

export interface KafkaBatchConsoleOptions {
  /** Where the page is served, under the application's global prefix. Default 'kafka-batch'. */
  path?: string;
  /** The page shows everything and changes nothing: pause, resume, seek and redrive answer 403. */
  readOnly?: boolean;
  /**
   * The application's guard, asked before every request of the console (page and API): the console
   * has no authentication of its own. Provided by the console's module, so it may inject providers
   * of modules it imports.
   */
  guard?: Type<CanActivate>;
  /** How often the figures are sampled for the sparklines, ms. Default 5,000. */
  sampleIntervalMs?: number;
  /** How far back the sparklines go, minutes. Default 10. */
  historyMinutes?: number;
}

export interface ResolvedConsoleOptions {
  path: string;
  readOnly: boolean;
  sampleIntervalMs: number;
  historyMinutes: number;
}

export const KAFKA_BATCH_CONSOLE_OPTIONS = Symbol('KAFKA_BATCH_CONSOLE_OPTIONS');
export const KAFKA_BATCH_CONSOLE_GUARD = Symbol('KAFKA_BATCH_CONSOLE_GUARD');

export function resolveConsoleOptions(options: KafkaBatchConsoleOptions): ResolvedConsoleOptions {
  const path = (options.path ?? 'kafka-batch').replace(/^\/+|\/+$/g, '');
  if (!/^[A-Za-z0-9._~/-]+$/.test(path))
    throw new Error(
      `KafkaBatchConsoleModule: option "path" must be a URL path of A-Z a-z 0-9 . _ ~ - / (got "${options.path}")`,
    );
  const positive = (name: string, value: number | undefined, fallback: number, max: number) => {
    const resolved = value ?? fallback;
    if (!Number.isInteger(resolved) || resolved < 1 || resolved > max)
      throw new Error(
        `KafkaBatchConsoleModule: option "${name}" must be an integer in 1..${max} (got ${value})`,
      );
    return resolved;
  };
  return {
    path,
    readOnly: options.readOnly ?? false,
    sampleIntervalMs: positive('sampleIntervalMs', options.sampleIntervalMs, 5_000, 3_600_000),
    historyMinutes: positive('historyMinutes', options.historyMinutes, 10, 24 * 60),
  };
}
