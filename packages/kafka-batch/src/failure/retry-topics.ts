import type { MessageHeader } from '@confluentinc/kafka-javascript';
import type { Clock } from '../common/clock';
import type { RawRecord } from '../interfaces/raw-record.interface';
import { firstHeaderValues, headerInteger } from './dead-letter.headers';
import { DeadLetterRoute, originIn } from './dead-letter.route';
import { DeadLetter, originOf } from './dead-letter.types';

/** Spring Kafka's names where it has one; the failure of each hop is this library's. */
export const RETRY_HEADERS = {
  /** Retry topics the record went through, this one included: 1 in the first. */
  attempts: 'retry_topic-attempts',
  /** When the record is due for its next attempt, ms since the epoch. */
  dueAt: 'retry_topic-backoff-timestamp',
  /** The source record's timestamp. */
  originalTimestamp: 'retry_topic-original-timestamp',
  /** One per hop, in order: `<ISO time> <topic>:<partition>:<offset> after <n> attempts: <class>: <message>`. */
  failure: 'kafka-batch-retry-failure',
} as const;

/** `<topic>-retry-<delayMs>`, as Spring Kafka's @RetryableTopic names them by default. */
export const retryTopicName = (topic: string, delayMs: number): string => `${topic}-retry-${delayMs}`;

/** The due time a retry topic's record carries; undefined for any other record. */
export function dueAtOf(raw: RawRecord): number | undefined {
  return headerInteger(firstHeaderValues(raw.headers), RETRY_HEADERS.dueAt);
}

interface Stage {
  source: string;
  index: number;
}

/**
 * A listener's chain of retry topics: a record that failed its in-place attempts goes to the first,
 * due after its delay; failing there, to the next; after the last, to the dead-letter topic of its
 * source topic. Each hop keeps the source record's provenance and adds its own failure.
 */
export class RetryTopics {
  private readonly stages = new Map<string, Stage>();

  constructor(
    private readonly sources: readonly string[],
    private readonly delaysMs: readonly number[],
    private readonly deadLetterTopic: (sourceTopic: string) => string,
    private readonly clock: Clock,
  ) {
    for (const source of sources)
      delaysMs.forEach((delayMs, index) =>
        this.stages.set(retryTopicName(source, delayMs), { source, index }),
      );
  }

  /** Every retry topic, with the source topic it is created like. */
  topics(): { topic: string; like: string }[] {
    return [...this.stages].map(([topic, { source }]) => ({ topic, like: source }));
  }

  /** The source topics and their retry topics: what the listener consumes. */
  subscription(): string[] {
    return [...this.sources, ...this.stages.keys()];
  }

  isRetryTopic(topic: string): boolean {
    return this.stages.has(topic);
  }

  route(letter: DeadLetter): DeadLetterRoute {
    const { raw, reason, attempts } = letter;
    const stage = this.stages.get(raw.topic);
    const origin = (stage && originIn(raw.headers)) || originOf(raw);
    const source = stage?.source ?? raw.topic;
    const next = stage ? stage.index + 1 : 0;
    const now = this.clock.now();
    const failure: MessageHeader = {
      [RETRY_HEADERS.failure]: `${new Date(now).toISOString()} ${raw.topic}:${raw.partition}:${raw.offset} after ${attempts} attempts: ${reason.name || 'Error'}: ${reason.message}`,
    };
    if (next >= this.delaysMs.length)
      return { topic: this.deadLetterTopic(source), like: source, origin, headers: [failure], retry: false };
    const delayMs = this.delaysMs[next];
    return {
      topic: retryTopicName(source, delayMs),
      like: source,
      origin,
      retry: true,
      headers: [
        failure,
        { [RETRY_HEADERS.attempts]: String(next + 1) },
        { [RETRY_HEADERS.dueAt]: String(now + delayMs) },
        { [RETRY_HEADERS.originalTimestamp]: String(origin.timestamp ?? '') },
      ],
    };
  }
}
