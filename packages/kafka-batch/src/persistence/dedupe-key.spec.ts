import { compositeKey, keyParts } from './dedupe-key';

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

describe('keyParts', () => {
  it('uses a column of primitives as it is', () => {
    const values = ['a', 1, null, 2n];
    expect(keyParts(values)).toBe(values);
  });

  it('turns a column of dates into instants', () => {
    expect(keyParts([new Date(5), null, new Date(5)])).toEqual([5, null, 5]);
  });

  it('keeps dates apart from numbers of the same value', () => {
    const [date, number] = keyParts([new Date(5), 5]);
    expect(date).not.toBe(number);
  });

  it('gives equal buffers equal parts', () => {
    const [first, second, other] = keyParts([Buffer.from('ab'), Buffer.from('ab'), Buffer.from('b')]);
    expect(first).toBe(second);
    expect(first).not.toBe(other);
  });
});
