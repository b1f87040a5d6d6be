import type { LoggerService } from '@nestjs/common';
import type { Clock } from '../common/clock';
import { describeRecords } from '../common/topic-partition';
import type { ListenerEvents } from '../container/listener.events';
import type { DeadLetter, DeadLetterResult } from './dead-letter.types';

/** Publishes dead letters and tells, per letter, whether the broker confirmed it. */
export interface DeadLetterSink {
  publish(letters: readonly DeadLetter[]): Promise<DeadLetterResult[]>;
  /** Creates the topics the listener consumes besides its own (its retry topics) before it subscribes. */
  prepare?(): Promise<void>;
  close(): Promise<void>;
}

/** The wait before publishing failed letters again doubles from the first to the last. */
const FIRST_RETRY_MS = 1_000;
const LAST_RETRY_MS = 30_000;

/**
 * Dead-letters records that failed for good, in the role of Spring Kafka's
 * DeadLetterPublishingRecoverer. A record's offset must not pass it before the broker confirmed its
 * dead letter, so failed publishes are retried, with a growing wait, for as long as its partition
 * stays here; only the failed letters are published again.
 */
export class DeadLetterRecoverer {
  constructor(
    private readonly sink: DeadLetterSink | undefined,
    private readonly listenerId: string,
    private readonly events: ListenerEvents,
    private readonly clock: Clock,
    private readonly logger: LoggerService,
  ) {}

  /** Returns the letters not confirmed when `signal` aborted (the partition was revoked or the listener stops). */
  async recover(letters: readonly DeadLetter[], signal: AbortSignal): Promise<DeadLetter[]> {
    if (!this.sink) {
      for (const { raw, reason } of letters)
        this.logger.error(
          `${this.listenerId}: skipping ${describeRecords([raw])} (dead-letter topic disabled): ${reason.message}`,
        );
      return [];
    }
    let pending = [...letters];
    for (let failures = 1; ; failures++) {
      const results = await this.sink.publish(pending);
      const errors = this.confirm(pending, results);
      pending = pending.filter((_, i) => results[i].status === 'failed');
      if (pending.length === 0 || signal.aborted) return pending;
      const waitMs = Math.min(LAST_RETRY_MS, FIRST_RETRY_MS * 2 ** (failures - 1));
      this.logger.error(
        `${this.listenerId}: cannot publish ${describeRecords(pending.map((l) => l.raw))} to the dead-letter topic, holding the partition; trying again in ${waitMs} ms: ${[...errors].join('; ')}`,
      );
      await this.clock.sleep(waitMs, signal);
      if (signal.aborted) return pending;
    }
  }

  /** Reports what was published; returns the distinct errors of the letters that failed. */
  private confirm(letters: readonly DeadLetter[], results: readonly DeadLetterResult[]): Set<string> {
    const errors = new Set<string>();
    results.forEach((result, i) => {
      const { raw } = letters[i];
      if (result.status === 'failed') {
        errors.add(result.error.message);
        this.events.emit('deadLetterFailed', { topic: raw.topic, records: 1 });
        return;
      }
      const withoutValue = result.status === 'published-without-value';
      const destination = result.retryTopic ?? 'the dead-letter topic';
      if (withoutValue)
        this.logger.warn(
          `${this.listenerId}: ${describeRecords([raw])} published to ${destination} without its ${result.dropped.join(', ')}: ${result.cause.message}`,
        );
      if (result.retryTopic)
        this.events.emit('retried', { topic: raw.topic, retryTopic: result.retryTopic, records: 1 });
      else this.events.emit('deadLettered', { topic: raw.topic, records: 1, withoutValue });
    });
    return errors;
  }
}
