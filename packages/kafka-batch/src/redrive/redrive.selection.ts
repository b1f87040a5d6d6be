import type { MessageHeader, MessageKey } from '@confluentinc/kafka-javascript';
import { DLT_HEADERS, firstHeaderValues, headerInteger, ownHeaders } from '../failure/dead-letter.headers';
import type { RawRecord } from '../interfaces/raw-record.interface';
import type { RedriveSelection } from './redrive.options';

/** Where a redriven record came from: `<dead-letter topic>:<partition>:<offset>`. */
export const REDRIVEN_FROM_HEADER = 'kafka-batch-redriven-from';

/** What a dead letter was before it failed: `<topic>:<partition>:<offset>`. */
export const REDRIVEN_ORIGINAL_HEADER = 'kafka-batch-redriven-original';

export interface RedriveSend {
  kind: 'send';
  topic: string;
  /** The original partition; undefined: by key (another topic, or one with fewer partitions). */
  partition: number | undefined;
  key: MessageKey;
  value: Buffer | null;
  headers: MessageHeader[];
  exceptionClass: string;
  exceptionMessage: string;
}

export type RedriveSkipReason = 'filtered' | 'incomplete' | 'no-origin';

export type RedriveDecision = RedriveSend | { kind: 'skip'; reason: RedriveSkipReason };

/** The dead letter's provenance, read from its `kafka_dlt-*` headers. */
export interface Provenance {
  topic?: string;
  partition?: number;
  offset?: number;
  exceptionClass: string;
  exceptionMessage: string;
  /** Parts of the source record the letter was published without. */
  dropped?: string;
}

export function provenanceOf(headers: readonly MessageHeader[] | undefined): Provenance {
  const values = firstHeaderValues(headers);
  return {
    topic: values.get(DLT_HEADERS.originalTopic) || undefined,
    partition: headerInteger(values, DLT_HEADERS.originalPartition),
    offset: headerInteger(values, DLT_HEADERS.originalOffset),
    exceptionClass: values.get(DLT_HEADERS.exceptionClass) ?? '',
    exceptionMessage: values.get(DLT_HEADERS.exceptionMessage) ?? '',
    dropped: values.get(DLT_HEADERS.dropped) || undefined,
  };
}

export function matches(
  selection: RedriveSelection,
  provenance: Provenance,
  timestamp: number | undefined,
): boolean {
  const { exception, message, partitions, offsets, since, until } = selection;
  if (exception && !exception.test(provenance.exceptionClass)) return false;
  if (message && !message.test(provenance.exceptionMessage)) return false;
  if (partitions && (provenance.partition === undefined || !partitions.has(provenance.partition)))
    return false;
  if (
    offsets &&
    (provenance.offset === undefined || provenance.offset < offsets.from || provenance.offset > offsets.to)
  )
    return false;
  if (since !== undefined && (timestamp === undefined || timestamp < since)) return false;
  if (until !== undefined && (timestamp === undefined || timestamp >= until)) return false;
  return true;
}

/**
 * A dead letter, filtered, and the record to send for it: its key, value and own headers as they
 * were, the `kafka_dlt-*` headers replaced by where it came from. A letter published without parts
 * of its record cannot be sent back as it was, and one without provenance has nowhere to go back to.
 */
export function decide(
  letter: RawRecord,
  selection: RedriveSelection,
  to: string | undefined,
  partitionCount: (topic: string) => number | undefined,
): RedriveDecision {
  const provenance = provenanceOf(letter.headers);
  if (!matches(selection, provenance, letter.timestamp)) return { kind: 'skip', reason: 'filtered' };
  if (provenance.dropped) return { kind: 'skip', reason: 'incomplete' };
  const topic = to ?? provenance.topic;
  if (!topic) return { kind: 'skip', reason: 'no-origin' };
  const original = provenance.partition;
  const count = to === undefined ? partitionCount(topic) : undefined;
  const headers: MessageHeader[] = ownHeaders(letter.headers).map(([name, value]) => ({ [name]: value }));
  headers.push({ [REDRIVEN_FROM_HEADER]: `${letter.topic}:${letter.partition}:${letter.offset}` });
  if (provenance.topic !== undefined && original !== undefined && provenance.offset !== undefined)
    headers.push({ [REDRIVEN_ORIGINAL_HEADER]: `${provenance.topic}:${original}:${provenance.offset}` });
  return {
    kind: 'send',
    topic,
    partition: count !== undefined && original !== undefined && original < count ? original : undefined,
    key: letter.key ?? null,
    value: letter.value ?? null,
    headers,
    exceptionClass: provenance.exceptionClass,
    exceptionMessage: provenance.exceptionMessage,
  };
}
