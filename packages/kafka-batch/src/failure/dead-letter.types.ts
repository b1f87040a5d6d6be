import type { DeadLetterStackTrace } from '../interfaces/batch-listener-options.interface';
import type { RawRecord } from '../interfaces/raw-record.interface';

export interface DeadLetter {
  raw: RawRecord;
  reason: Error;
  attempts: number;
}

/** What a listener stamps on each of its dead letters: its consumer group, and how much of the stack. */
export interface Provenance {
  groupId: string;
  stackTrace: DeadLetterStackTrace;
}

/** What a stripped-down dead letter leaves out of the source record. */
export type DeadLetterPart = 'value' | 'key' | 'headers';

/**
 * The outcome of one dead letter. Only `failed` leaves the record unpublished: the caller holds its
 * partition and publishes it again later; the two others are confirmed by the broker.
 */
export type DeadLetterResult =
  | { status: 'published'; retryTopic?: string }
  /** The whole record could never be published (`cause`, e.g. message too large); its provenance was. */
  | {
      status: 'published-without-value';
      dropped: readonly DeadLetterPart[];
      cause: Error;
      /** Set when the letter went to a retry topic rather than the dead-letter topic. */
      retryTopic?: string;
    }
  | { status: 'failed'; error: Error };

/** The record a letter stands for: the failed record itself, or the source record of a retried one. */
export interface Origin {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number | undefined;
}

export const originOf = ({ topic, partition, offset, timestamp }: RawRecord): Origin => ({
  topic,
  partition,
  offset,
  timestamp,
});
