import { CODES } from '@confluentinc/kafka-javascript';
import { asError } from '../common/errors';
import { deadLetterRecord, DeadLetterRecord } from './dead-letter.record';
import type { DeadLetterRoute } from './dead-letter.route';
import type { DeadLetter, DeadLetterPart, DeadLetterResult, Provenance } from './dead-letter.types';

/**
 * Errors about the record itself, which sending it again cannot cure. Everything else (topic
 * unknown, invalid or not authorized, timeouts, the cluster unreachable) is about the topic or the
 * cluster, and a later attempt may succeed.
 */
const RECORD_REJECTIONS: ReadonlySet<number> = new Set([
  CODES.ERRORS.ERR_MSG_SIZE_TOO_LARGE,
  CODES.ERRORS.ERR_INVALID_MSG_SIZE,
  CODES.ERRORS.ERR_RECORD_LIST_TOO_LARGE,
  CODES.ERRORS.ERR_INVALID_RECORD,
]);

export function isRecordRejection(error: unknown): boolean {
  return RECORD_REJECTIONS.has((error as { code?: number } | undefined)?.code ?? 0);
}

/** Sends one record and resolves when the broker confirmed it; `alone`: in no batch with another. */
export type DeadLetterSend = (record: DeadLetterRecord, alone: boolean) => Promise<void>;

/**
 * Each step is tried when the one before it was rejected for the record's sake. The broker refuses
 * a whole batch for one record over the topic's `max.message.bytes`, so a rejected letter is first
 * sent again alone: its neighbours in the batch keep their value.
 */
const STEPS: readonly { dropped: readonly DeadLetterPart[]; alone: boolean }[] = [
  { dropped: [], alone: false },
  { dropped: [], alone: true },
  { dropped: ['value'], alone: true },
  { dropped: ['value', 'key', 'headers'], alone: true },
];

/**
 * Publishes the whole letter, or, when the record itself is refused, its provenance without the
 * value (then also without the key and headers): a record that can never be published whole still
 * leaves its partition, and says so in the result and in headers.
 */
export async function publishWithFallback(
  letter: DeadLetter,
  provenance: Provenance,
  send: DeadLetterSend,
  route?: Pick<DeadLetterRoute, 'origin' | 'headers'>,
): Promise<DeadLetterResult> {
  let cause: Error | undefined;
  let error: Error | undefined;
  for (const { dropped, alone } of STEPS) {
    // Parts are dropped only in the steps after a rejection, which set `cause`.
    const omission = dropped.length > 0 ? { dropped, cause: cause! } : undefined;
    try {
      await send(deadLetterRecord(letter, provenance, omission, route), alone);
      return omission ? { status: 'published-without-value', ...omission } : { status: 'published' };
    } catch (err) {
      error = asError(err);
      if (!isRecordRejection(error)) return { status: 'failed', error };
      cause ??= error;
    }
  }
  return { status: 'failed', error: error! };
}
