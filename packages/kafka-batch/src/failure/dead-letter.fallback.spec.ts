import { CODES } from '@confluentinc/kafka-javascript';
import { publishWithFallback } from './dead-letter.fallback';
import { DLT_HEADERS } from './dead-letter.headers';
import type { DeadLetterRecord } from './dead-letter.record';
import type { DeadLetter, Provenance } from './dead-letter.types';

const tooLarge = () =>
  Object.assign(new Error('Broker: Message size too large'), { code: CODES.ERRORS.ERR_MSG_SIZE_TOO_LARGE });
const invalidTopic = () =>
  Object.assign(new Error('Broker: Invalid topic'), { code: CODES.ERRORS.ERR_TOPIC_EXCEPTION });
const timedOut = () =>
  Object.assign(new Error('Local: Message timed out'), { code: CODES.ERRORS.ERR__MSG_TIMED_OUT });

const letter: DeadLetter = {
  raw: {
    topic: 'readings',
    partition: 2,
    offset: 41,
    value: Buffer.from('value'),
    key: Buffer.from('key'),
    headers: [{ trace: Buffer.from('t') }],
    size: 5,
    timestamp: 1_700_000_000_000,
  },
  reason: new Error('invalid value'),
  attempts: 0,
};

const provenance: Provenance = { groupId: 'g', stackTrace: 'application' };

/** A send that answers each call with the next outcome (an error to reject with, or undefined). */
function sendAnswering(...outcomes: (Error | undefined)[]) {
  const sent: { record: DeadLetterRecord; alone: boolean }[] = [];
  const send = (record: DeadLetterRecord, alone: boolean) => {
    sent.push({ record, alone });
    const outcome = outcomes[sent.length - 1];
    return outcome ? Promise.reject(outcome) : Promise.resolve();
  };
  return { send, sent };
}

const headerNames = (record: DeadLetterRecord) => record.headers.map((h) => Object.keys(h)[0]);

describe('publishWithFallback', () => {
  it('publishes the whole letter in one send when the broker takes it', async () => {
    const { send, sent } = sendAnswering(undefined);

    expect(await publishWithFallback(letter, provenance, send)).toEqual({ status: 'published' });
    expect(sent).toHaveLength(1);
    expect(sent[0].alone).toBe(false);
    expect(sent[0].record.value).toEqual(Buffer.from('value'));
  });

  it('publishes the whole letter when it is refused in a batch but taken alone', async () => {
    const { send, sent } = sendAnswering(tooLarge(), undefined);

    expect(await publishWithFallback(letter, provenance, send)).toEqual({ status: 'published' });
    expect(sent.map((s) => [s.alone, s.record.value?.toString()])).toEqual([
      [false, 'value'],
      [true, 'value'],
    ]);
    expect(headerNames(sent[1].record)).not.toContain(DLT_HEADERS.dropped);
  });

  it('drops the value of a letter refused even alone, and says what and why in headers', async () => {
    const refusal = tooLarge();
    const { send, sent } = sendAnswering(refusal, tooLarge(), undefined);

    const result = await publishWithFallback(letter, provenance, send);

    expect(result).toEqual({ status: 'published-without-value', dropped: ['value'], cause: refusal });
    const { record, alone } = sent[2];
    expect(alone).toBe(true);
    expect(record.value).toBeNull();
    expect(record.key).toEqual(Buffer.from('key'));
    expect(record.headers).toEqual(
      expect.arrayContaining([
        { trace: Buffer.from('t') },
        { [DLT_HEADERS.originalOffset]: '41' },
        { [DLT_HEADERS.dropped]: 'value' },
        { [DLT_HEADERS.droppedReason]: 'Broker: Message size too large' },
        { [DLT_HEADERS.originalValueSize]: '5' },
      ]),
    );
  });

  it('then drops the key and the headers too, keeping the provenance', async () => {
    const invalidRecord = Object.assign(new Error('Broker: Broker failed to validate record'), {
      code: CODES.ERRORS.ERR_INVALID_RECORD,
    });
    const { send, sent } = sendAnswering(invalidRecord, tooLarge(), tooLarge(), undefined);

    const result = await publishWithFallback(letter, provenance, send);

    expect(result).toEqual({
      status: 'published-without-value',
      dropped: ['value', 'key', 'headers'],
      cause: invalidRecord,
    });
    const { record } = sent[3];
    expect([record.value, record.key]).toEqual([null, null]);
    expect(headerNames(record)).not.toContain('trace');
    expect(record.headers).toEqual(
      expect.arrayContaining([
        { [DLT_HEADERS.originalTopic]: 'readings' },
        { [DLT_HEADERS.originalPartition]: '2' },
        { [DLT_HEADERS.exceptionMessage]: 'invalid value' },
        { [DLT_HEADERS.dropped]: 'value,key,headers' },
        { [DLT_HEADERS.droppedReason]: 'Broker: Broker failed to validate record' },
      ]),
    );
  });

  it('fails with the last refusal when even the provenance alone is refused', async () => {
    const last = tooLarge();
    const { send, sent } = sendAnswering(tooLarge(), tooLarge(), tooLarge(), last);

    expect(await publishWithFallback(letter, provenance, send)).toEqual({ status: 'failed', error: last });
    expect(sent).toHaveLength(4);
  });

  it.each([
    ['an invalid topic', invalidTopic()],
    ['a delivery timeout', timedOut()],
    ['an error without a code', new Error('broker down')],
  ])('fails without dropping anything on %s, which is not the record’s fault', async (_what, error) => {
    const { send, sent } = sendAnswering(error);

    expect(await publishWithFallback(letter, provenance, send)).toEqual({ status: 'failed', error });
    expect(sent).toHaveLength(1);
  });

  it('fails on a topic error met after a refusal, instead of dropping more', async () => {
    const topicError = invalidTopic();
    const { send, sent } = sendAnswering(tooLarge(), tooLarge(), topicError);

    expect(await publishWithFallback(letter, provenance, send)).toEqual({
      status: 'failed',
      error: topicError,
    });
    expect(sent).toHaveLength(3);
  });
});
