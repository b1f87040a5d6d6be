import type { MessageHeader } from '@confluentinc/kafka-javascript';
import { DLT_HEADERS } from '../failure/dead-letter.headers';
import type { RawRecord } from '../interfaces/raw-record.interface';
import { parseRedriveOptions, RedriveOptions } from './redrive.options';
import { decide } from './redrive.selection';

function letter(headers: Record<string, string>, timestamp = Date.UTC(2026, 11, 5)): RawRecord {
  const list: MessageHeader[] = Object.entries(headers).map(([name, value]) => ({
    [name]: Buffer.from(value),
  }));
  return {
    topic: 'r.DLT',
    partition: 2,
    offset: 7,
    value: Buffer.from('{}'),
    key: null,
    size: 2,
    timestamp,
    headers: list,
  };
}

const provenance = {
  [DLT_HEADERS.originalTopic]: 'r',
  [DLT_HEADERS.originalPartition]: '5',
  [DLT_HEADERS.originalOffset]: '40',
  [DLT_HEADERS.exceptionClass]: 'ValidationError',
  [DLT_HEADERS.exceptionMessage]: 'temperature must not be greater than 125',
};

const selection = (...args: string[]) =>
  (parseRedriveOptions(['--from', 'r.DLT', ...args], {}) as RedriveOptions).selection;
const partitions = (n: number | undefined) => () => n;

describe('decide', () => {
  it.each([
    [['--exception', 'ValidationError'], true],
    [['--exception', 'Validation'], false],
    [['--message', 'greater than \\d+'], true],
    [['--message', 'humidity'], false],
    [['--partition', '4,5'], true],
    [['--partition', '4'], false],
    [['--offsets', '40-40'], true],
    [['--offsets', '41-50'], false],
    [['--since', '2026-12-05T00:00:00Z'], true],
    [['--until', '2026-12-05T00:00:00Z'], false],
    [['--exception', 'ValidationError', '--partition', '4'], false],
  ])('filters %j: selected %s', (args, selected) => {
    expect(decide(letter(provenance), selection(...args), undefined, partitions(12)).kind).toBe(
      selected ? 'send' : 'skip',
    );
  });

  it('goes back to the original partition, by key when the topic has fewer partitions now, and by key to --to', () => {
    const send = (count: number | undefined, to?: string) =>
      decide(letter(provenance), {}, to, partitions(count));
    expect(send(12)).toMatchObject({ kind: 'send', topic: 'r', partition: 5 });
    expect(send(3)).toMatchObject({ kind: 'send', topic: 'r', partition: undefined });
    expect(send(undefined, 'other')).toMatchObject({ kind: 'send', topic: 'other', partition: undefined });
  });

  it('keeps the own headers and replaces the provenance with where the record comes from', () => {
    const decision = decide(
      letter({ trace: 'abc', ...provenance, 'kafka-batch-redriven-from': 'r.DLT:0:1' }),
      {},
      undefined,
      partitions(12),
    );
    expect(decision.kind === 'send' && decision.headers).toEqual([
      { trace: Buffer.from('abc') },
      { 'kafka-batch-redriven-from': Buffer.from('r.DLT:0:1') },
      { 'kafka-batch-redriven-from': 'r.DLT:2:7' },
      { 'kafka-batch-redriven-original': 'r:5:40' },
    ]);
  });

  it('skips a letter published without parts of its record, and one with nowhere to go back to', () => {
    expect(
      decide(letter({ ...provenance, [DLT_HEADERS.dropped]: 'value' }), {}, undefined, partitions(12)),
    ).toEqual({ kind: 'skip', reason: 'incomplete' });
    expect(decide(letter({ [DLT_HEADERS.exceptionClass]: 'E' }), {}, undefined, partitions(12))).toEqual({
      kind: 'skip',
      reason: 'no-origin',
    });
    expect(
      decide(letter({ [DLT_HEADERS.exceptionClass]: 'E' }), {}, 'elsewhere', partitions(undefined)).kind,
    ).toBe('send');
  });
});
