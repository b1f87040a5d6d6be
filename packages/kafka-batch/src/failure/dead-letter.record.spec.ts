import type { MessageHeader } from '@confluentinc/kafka-javascript';
import { DLT_HEADERS } from './dead-letter.headers';
import { deadLetterRecord } from './dead-letter.record';
import type { DeadLetter, Provenance } from './dead-letter.types';

const reason = Object.assign(new TypeError('bad reading'), { stack: 'TypeError: bad reading\n    at here' });

function letterOf(raw: Partial<DeadLetter['raw']>): DeadLetter {
  return {
    raw: {
      topic: 'readings',
      partition: 1,
      offset: 7,
      value: null,
      size: 0,
      timestamp: 1_700_000_000_000,
      ...raw,
    },
    reason,
    attempts: 3,
  };
}

const fullStack: Provenance = { groupId: 'writers', stackTrace: 'full' };

const provenance = [
  { [DLT_HEADERS.originalTopic]: 'readings' },
  { [DLT_HEADERS.originalPartition]: '1' },
  { [DLT_HEADERS.originalOffset]: '7' },
  { [DLT_HEADERS.originalTimestamp]: '1700000000000' },
  { [DLT_HEADERS.originalConsumerGroup]: 'writers' },
  { [DLT_HEADERS.exceptionClass]: 'TypeError' },
  { [DLT_HEADERS.exceptionMessage]: 'bad reading' },
  { [DLT_HEADERS.exceptionStacktrace]: 'TypeError: bad reading\n    at here' },
  { [DLT_HEADERS.attempts]: '3' },
];

describe('deadLetterRecord', () => {
  it('keeps the record’s headers in order, repeated names included, then its provenance', () => {
    const headers: MessageHeader[] = [
      { trace: Buffer.from('a') },
      { bin: Buffer.from([0, 255]) },
      { trace: Buffer.from('b') },
    ];

    const record = deadLetterRecord(letterOf({ headers }), fullStack);

    expect(record.headers).toEqual([...headers, ...provenance]);
  });

  it('drops every kafka_dlt-* header the record brings, so the provenance appears once and is its own', () => {
    const headers: MessageHeader[] = [
      { [DLT_HEADERS.originalTopic]: Buffer.from('forged') },
      { trace: Buffer.from('a') },
      { [DLT_HEADERS.exceptionMessage]: Buffer.from('forged') },
      { 'kafka_dlt-anything-else': Buffer.from('x') },
    ];

    const record = deadLetterRecord(letterOf({ headers }), fullStack);

    expect(record.headers).toEqual([{ trace: Buffer.from('a') }, ...provenance]);
  });

  it('sends each name of a header object as a header of its own (the client reads only the first)', () => {
    const record = deadLetterRecord(letterOf({ headers: [{ a: 'x', b: Buffer.from('y') }] }), fullStack);

    expect(record.headers.slice(0, 2)).toEqual([{ a: 'x' }, { b: Buffer.from('y') }]);
  });

  it('cuts the stack trace header as the listener says', () => {
    const record = deadLetterRecord(letterOf({}), { groupId: 'writers', stackTrace: 'none' });

    expect(record.headers).toContainEqual({ [DLT_HEADERS.exceptionStacktrace]: 'TypeError: bad reading' });
  });

  it('writes -1 as the original value size of a null value it drops', () => {
    const record = deadLetterRecord(letterOf({ key: Buffer.from('k') }), fullStack, {
      dropped: ['value'],
      cause: new Error('Broker: Broker failed to validate record'),
    });

    expect(record.headers.slice(-3)).toEqual([
      { [DLT_HEADERS.dropped]: 'value' },
      { [DLT_HEADERS.droppedReason]: 'Broker: Broker failed to validate record' },
      { [DLT_HEADERS.originalValueSize]: '-1' },
    ]);
  });
});
