import { binaryArray } from './postgres-binary-array';

/** Reads array_send's layout back, so a test states elements, not bytes. */
function elements(buffer: Buffer) {
  const header = {
    dimensions: buffer.readInt32BE(0),
    hasNulls: buffer.readInt32BE(4),
    elementType: buffer.readInt32BE(8),
    length: buffer.readInt32BE(12),
    lowerBound: buffer.readInt32BE(16),
  };
  const items: (Buffer | null)[] = [];
  let offset = 20;
  while (offset < buffer.length) {
    const size = buffer.readInt32BE(offset);
    offset += 4;
    items.push(size < 0 ? null : buffer.subarray(offset, offset + size));
    offset += Math.max(size, 0);
  }
  return { header, items };
}

describe('binaryArray', () => {
  it('writes a one-dimensional array of the element type, counting from 1', () => {
    const { header, items } = elements(binaryArray('integer', [1, -2, 2 ** 31 - 1])!);

    expect(header).toEqual({ dimensions: 1, hasNulls: 0, elementType: 23, length: 3, lowerBound: 1 });
    expect(items.map((item) => item!.readInt32BE(0))).toEqual([1, -2, 2 ** 31 - 1]);
  });

  it('marks NULLs, undefined included, and flags the array as having them', () => {
    const { header, items } = elements(binaryArray('text', ['a', null, undefined, ''])!);

    expect(header.hasNulls).toBe(1);
    expect(items.map((item) => item?.toString('utf8') ?? null)).toEqual(['a', null, null, '']);
  });

  it('writes text as UTF-8 whatever its length in UTF-16 units', () => {
    const texts = ['ünïcødé 🚀', '中文', 'tab\tnl\n "quoted" \\', 'x'.repeat(10_000)];
    const { header, items } = elements(binaryArray('character varying', texts)!);

    expect(header.elementType).toBe(1043);
    expect(items.map((item) => item!.toString('utf8'))).toEqual(texts);
  });

  it('writes doubles bit for bit, NaN and infinities included, and -0 as 0 as the text form stores it', () => {
    const doubles = [1.5, 0.1 + 0.2, 5e-324, Number.MAX_VALUE, NaN, Infinity, -Infinity, -0];
    const { items } = elements(binaryArray('double precision', doubles)!);

    expect(items.map((item) => item!.readDoubleBE(0))).toEqual([...doubles.slice(0, 7), 0]);
    expect(Object.is(items[7]!.readDoubleBE(0), 0)).toBe(true);
  });

  it('writes timestamps as microseconds from 2000-01-01 UTC, before and after it', () => {
    const dates = [new Date('2000-01-01T00:00:00.001Z'), new Date('1970-01-01T00:00:00Z'), new Date(8.64e12)];
    const { header, items } = elements(binaryArray('timestamp with time zone', dates)!);

    expect(header.elementType).toBe(1184);
    expect(items.map((item) => item!.readBigInt64BE(0))).toEqual(
      dates.map((date) => BigInt(date.getTime() - Date.UTC(2000, 0, 1)) * 1000n),
    );
  });

  it('writes smallints, bigints and booleans', () => {
    expect(elements(binaryArray('smallint', [-32_768, 32_767])!).items.map((i) => i!.readInt16BE(0))).toEqual(
      [-32_768, 32_767],
    );
    const bigints = [Number.MIN_SAFE_INTEGER, -1, 0, 2 ** 32, Number.MAX_SAFE_INTEGER];
    expect(elements(binaryArray('bigint', bigints)!).items.map((i) => i!.readBigInt64BE(0))).toEqual(
      bigints.map(BigInt),
    );
    expect(elements(binaryArray('boolean', [true, false])!).items.map((i) => i!.readUInt8(0))).toEqual([
      1, 0,
    ]);
  });

  it('encodes only values[start..end)', () => {
    const { header, items } = elements(binaryArray('integer', [1, 2, 3, 4], 1, 3)!);

    expect(header.length).toBe(2);
    expect(items.map((item) => item!.readInt32BE(0))).toEqual([2, 3]);
  });

  it.each([
    ['a type without an exact binary form here', 'numeric', ['1.5']],
    ['an array type', 'integer[]', [[1]]],
    ['a fraction in an integer column', 'integer', [1, 1.5]],
    ['an integer out of range', 'smallint', [40_000]],
    ['a bigint TypeORM gives as a string', 'bigint', ['9007199254740993']],
    ['an unsafe integer', 'bigint', [2 ** 60]],
    ['a string in a number column', 'double precision', ['1.5']],
    ['a number in a text column', 'text', [1]],
    ['an invalid date', 'timestamp with time zone', [new Date(NaN)]],
    ['a date beyond exact microseconds', 'timestamp with time zone', [new Date(8.64e15)]],
    ['a string in a timestamp column', 'timestamp with time zone', ['2024-03-01T00:00:00Z']],
  ])('leaves the column to text for %s', (_case, type, values) => {
    expect(binaryArray(type, values)).toBeUndefined();
  });
});
