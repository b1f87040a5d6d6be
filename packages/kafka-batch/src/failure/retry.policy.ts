import type { RetryOptions } from '../interfaces/batch-listener-options.interface';

/** Exponential backoff: the delay before attempt n+1 after attempt n (1-based) failed. */
export function retryDelayMs(options: RetryOptions, failedAttempt: number): number {
  return Math.min(options.maxDelayMs, options.initialDelayMs * options.multiplier ** (failedAttempt - 1));
}

/**
 * Thrown by a handler to say which record failed: records before it in the batch are done,
 * the retries (and the dead-letter topic) concern this record, and the ones after it are handled again.
 */
export class BatchListenerFailedError extends Error {
  override readonly name = 'BatchListenerFailedError';

  constructor(
    message: string,
    readonly record: { topic: string; partition: number; offset: number },
    override readonly cause?: unknown,
  ) {
    super(message);
  }
}
