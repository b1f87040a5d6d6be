import type { MessageHeader, MessageKey } from '@confluentinc/kafka-javascript';
import { droppedHeaders, ownHeaders, provenanceHeaders } from './dead-letter.headers';
import type { DeadLetterRoute } from './dead-letter.route';
import type { DeadLetter, DeadLetterPart, Provenance } from './dead-letter.types';

/** What goes to the dead-letter topic for one letter. */
export interface DeadLetterRecord {
  value: Buffer | null;
  key: MessageKey;
  headers: MessageHeader[];
}

/** Parts left out, and the error that refused the whole record. */
export interface Omission {
  dropped: readonly DeadLetterPart[];
  cause: Error;
}

/**
 * A zero-length Buffer Node allocates has no data pointer, and the client hands librdkafka that
 * NULL: an empty value or key would arrive as null, an empty header value as a null one
 * (nodejs/node#32089; the client's own fallback allocates another pointerless Buffer). An empty
 * view into allocated memory has a pointer and stays empty.
 */
const EMPTY = Buffer.alloc(1).subarray(0, 0);

const keepEmpty = <T>(bytes: T): T => (Buffer.isBuffer(bytes) && bytes.length === 0 ? (EMPTY as T) : bytes);

/**
 * The source record's value, key and headers byte for byte (null stays null, empty stays empty,
 * repeated header names keep their order), then the provenance headers; with an omission, without
 * the dropped parts and with headers saying what was dropped and why.
 */
export function deadLetterRecord(
  letter: DeadLetter,
  provenance: Provenance,
  omission?: Omission,
  route?: Pick<DeadLetterRoute, 'origin' | 'headers'>,
): DeadLetterRecord {
  const { raw } = letter;
  const drops = (part: DeadLetterPart) => omission?.dropped.includes(part) ?? false;
  const own = drops('headers') ? [] : ownHeaders(raw.headers);
  return {
    value: drops('value') ? null : keepEmpty(raw.value),
    key: drops('key') ? null : keepEmpty(raw.key),
    headers: [
      // One name per object: the client sends only an object's first property.
      ...own.map(([name, value]) => ({ [name]: keepEmpty(value) })),
      ...provenanceHeaders(letter, provenance, route?.origin),
      ...(route?.headers ?? []),
      ...(omission ? droppedHeaders(letter, omission.dropped, omission.cause) : []),
    ],
  };
}
