import type { MessageHeader } from '@confluentinc/kafka-javascript';
import { DLT_HEADERS, firstHeaderValues, headerInteger } from './dead-letter.headers';
import { DeadLetter, Origin, originOf } from './dead-letter.types';

/** Where a failed record is published, and what it says about where it came from. */
export interface DeadLetterRoute {
  topic: string;
  /** A missing topic is created with this topic's partition count. */
  like: string;
  origin: Origin;
  /** Headers after the provenance: a retry topic's attempt and due time, the failure of each hop. */
  headers: MessageHeader[];
  /** A retry topic, not a dead-letter topic. */
  retry: boolean;
}

/** The source record named by a letter's `kafka_dlt-original-*` headers, when they are whole. */
export function originIn(headers: readonly MessageHeader[] | undefined): Origin | undefined {
  const values = firstHeaderValues(headers);
  const topic = values.get(DLT_HEADERS.originalTopic);
  const partition = headerInteger(values, DLT_HEADERS.originalPartition);
  const offset = headerInteger(values, DLT_HEADERS.originalOffset);
  if (!topic || partition === undefined || offset === undefined) return undefined;
  return { topic, partition, offset, timestamp: headerInteger(values, DLT_HEADERS.originalTimestamp) };
}

/** The dead-letter topic of the failed record's own topic: the route without retry topics. */
export function deadLetterRoute(
  letter: DeadLetter,
  topicFor: (sourceTopic: string) => string,
): DeadLetterRoute {
  return {
    topic: topicFor(letter.raw.topic),
    like: letter.raw.topic,
    origin: originOf(letter.raw),
    headers: [],
    retry: false,
  };
}
