import type { LoggerService } from '@nestjs/common';
import { messageOf } from '../common/errors';
import { describeRecords } from '../common/topic-partition';
import type { RetryOptions } from '../interfaces/batch-listener-options.interface';
import type { KafkaRecord } from '../interfaces/kafka-record.interface';
import { BatchListenerFailedError, retryDelayMs } from './retry.policy';

/** A handler invocation that threw, as the error handler sees it. */
export interface InvocationFailure {
  readonly error: unknown;
  /** The records the failure concerns (see `locate`). */
  readonly failing: readonly KafkaRecord[];
  /** Invocations made on them so far, this one included. */
  readonly attempt: number;
  /** Invocations this handling may make: the retry option, or one inside a bisection. */
  readonly attemptsAllowed: number;
  /** Invocations a bisected parent already made, for the dead-letter headers. */
  readonly spent: number;
}

/** What to do about a failed invocation. */
export type FailureDecision =
  /** An outage, not bad records: redeliver after a backoff, without counting an attempt. */
  | { action: 'redeliver-later' }
  | { action: 'retry'; delayMs: number }
  /** Handle each half once more, down to the records that fail. */
  | { action: 'bisect' }
  | { action: 'dead-letter'; attempts: number };

/** Where a failure lies in the records an invocation was given. */
export interface FailureLocation {
  /** Records before the failing ones, done. */
  doneBefore: number;
  /** How many records, from there, the failure concerns. */
  failing: number;
}

/**
 * The retry policy, in the role of Spring Kafka's error handlers: retries with exponential backoff,
 * bisection of a batch that keeps failing, transient failures that are never counted nor
 * dead-lettered. It decides; the batch runner invokes, waits and publishes.
 */
export class RetryingErrorHandler {
  constructor(
    private readonly retry: RetryOptions,
    private readonly listenerId: string,
    private readonly logger: LoggerService,
  ) {}

  /**
   * A BatchListenerFailedError names its record: the records before it are done and the failure
   * concerns that one alone. Any other error concerns every record.
   */
  locate(error: unknown, records: readonly KafkaRecord[]): FailureLocation {
    if (!(error instanceof BatchListenerFailedError)) return { doneBefore: 0, failing: records.length };
    const { topic, partition, offset } = error.record;
    const index = records.findIndex(
      (r) => r.offset === offset && r.partition === partition && r.topic === topic,
    );
    return index < 0 ? { doneBefore: 0, failing: records.length } : { doneBefore: index, failing: 1 };
  }

  decide({ error, failing, attempt, attemptsAllowed, spent }: InvocationFailure): FailureDecision {
    const what = describeRecords(failing);
    if (this.retry.transient(error)) return { action: 'redeliver-later' };
    if (attempt < attemptsAllowed) {
      const delayMs = retryDelayMs(this.retry, attempt);
      this.logger.warn(
        `${this.listenerId}: handler failed on ${what} (attempt ${attempt}/${attemptsAllowed}), retrying in ${delayMs} ms: ${messageOf(error)}`,
      );
      return { action: 'retry', delayMs };
    }
    const attempts = spent + attempt;
    if (failing.length > 1 && this.retry.bisect) {
      this.logger.warn(
        `${this.listenerId}: handler failed on ${what} after ${attempts} attempts; bisecting to find the failing records: ${messageOf(error)}`,
      );
      return { action: 'bisect' };
    }
    this.logger.error(
      `${this.listenerId}: handler failed on ${what} after ${attempts} attempts: ${messageOf(error)}`,
    );
    return { action: 'dead-letter', attempts };
  }
}
