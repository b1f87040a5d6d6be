import { compositeKey, dedupeLastWins } from './dedupe';

describe('dedupeLastWins', () => {
  const byKey = (row: { key?: string }) => row.key;

  it('keeps the last row of each key at the position of its first occurrence', () => {
    const rows = [
      { key: 'a', v: 1 },
      { key: 'b', v: 2 },
      { key: 'a', v: 3 },
      { key: 'c', v: 4 },
      { key: 'a', v: 5 },
    ];

    expect(dedupeLastWins(rows, byKey)).toEqual({
      rows: [
        { key: 'a', v: 5 },
        { key: 'b', v: 2 },
        { key: 'c', v: 4 },
      ],
      sourceIndexes: [4, 1, 3],
    });
  });

  it('never collapses rows without a key', () => {
    expect(dedupeLastWins([{}, {}], byKey).rows).toHaveLength(2);
  });
});

describe('compositeKey', () => {
  it('gives equal instants and buffers equal keys', () => {
    expect(compositeKey(['d', new Date('2026-01-01T00:00:00Z')])).toBe(
      compositeKey(['d', new Date(Date.UTC(2026, 0, 1))]),
    );
    expect(compositeKey([Buffer.from('ab')])).toBe(compositeKey([Buffer.from('ab')]));
    expect(compositeKey(['a', 'b'])).not.toBe(compositeKey(['a,b']));
    expect(compositeKey([1n])).toBe(compositeKey([BigInt(1)]));
    expect(compositeKey(['1'])).not.toBe(compositeKey([1]));
    expect(compositeKey(['a:1:b'])).not.toBe(compositeKey(['a', 'b']));
  });

  it('has no key when a part is missing or NULL, which unique constraints never match', () => {
    expect(compositeKey(['a', undefined])).toBeUndefined();
    expect(compositeKey(['a', null])).toBeUndefined();
  });
});
