/**
 * How one element type is written in PostgreSQL's binary format: `size` bytes for a value, or
 * undefined for a value this encoding cannot carry exactly (the column then travels as text, so the
 * server converts or rejects it as it does for every other strategy).
 */
interface ElementEncoding {
  oid: number;
  size(value: unknown): number | undefined;
  write(buffer: Buffer, offset: number, value: unknown): number;
}

const INT4_MIN = -(2 ** 31);
const INT4_MAX = 2 ** 31 - 1;
const TWO_TO_32 = 2 ** 32;
/** PostgreSQL counts timestamps in microseconds from 2000-01-01T00:00:00Z. */
const POSTGRES_EPOCH_MS = Date.UTC(2000, 0, 1);
/** Within ±285 years of that epoch, milliseconds × 1000 is still an exact double. */
const EXACT_MICROSECONDS_MS = Math.floor(Number.MAX_SAFE_INTEGER / 1000);

const writeInt64 = (buffer: Buffer, offset: number, value: number): number => {
  const high = Math.floor(value / TWO_TO_32);
  buffer.writeInt32BE(high, offset);
  return buffer.writeUInt32BE(value - high * TWO_TO_32, offset + 4);
};

const integerIn =
  (min: number, max: number, bytes: number) =>
  (value: unknown): number | undefined =>
    typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? bytes : undefined;

const text: Omit<ElementEncoding, 'oid'> = {
  // An upper bound: UTF-8 takes at most 3 bytes per UTF-16 unit. write() returns the real end.
  size: (value) => (typeof value === 'string' ? value.length * 3 : undefined),
  write: (buffer, offset, value) => offset + buffer.write(value as string, offset),
};

/**
 * The types whose binary form stores exactly what their text form stores, keyed by the name
 * `format_type` gives them. Others (numeric, real, dates without a zone, JSON, enums, domains...)
 * have text forms whose conversion this module would have to re-implement, so they stay text.
 */
const ENCODINGS: ReadonlyMap<string, ElementEncoding> = new Map<string, ElementEncoding>([
  [
    'double precision',
    {
      oid: 701,
      size: (value) => (typeof value === 'number' ? 8 : undefined),
      // -0 prints as "0", which is what the text form stores.
      write: (buffer, offset, value) => buffer.writeDoubleBE(value === 0 ? 0 : (value as number), offset),
    },
  ],
  [
    'smallint',
    {
      oid: 21,
      size: integerIn(-32_768, 32_767, 2),
      write: (buffer, offset, value) => buffer.writeInt16BE(value as number, offset),
    },
  ],
  [
    'integer',
    {
      oid: 23,
      size: integerIn(INT4_MIN, INT4_MAX, 4),
      write: (buffer, offset, value) => buffer.writeInt32BE(value as number, offset),
    },
  ],
  [
    'bigint',
    {
      oid: 20,
      // TypeORM hands bigints over as strings; those, and unsafe numbers, stay text.
      size: integerIn(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 8),
      write: (buffer, offset, value) => writeInt64(buffer, offset, value as number),
    },
  ],
  [
    'boolean',
    {
      oid: 16,
      size: (value) => (typeof value === 'boolean' ? 1 : undefined),
      write: (buffer, offset, value) => buffer.writeUInt8(value ? 1 : 0, offset),
    },
  ],
  ['text', { oid: 25, ...text }],
  ['character varying', { oid: 1043, ...text }],
  [
    'timestamp with time zone',
    {
      oid: 1184,
      size: (value) => {
        if (!(value instanceof Date)) return undefined;
        const fromEpoch = value.getTime() - POSTGRES_EPOCH_MS;
        return Math.abs(fromEpoch) <= EXACT_MICROSECONDS_MS ? 8 : undefined;
      },
      write: (buffer, offset, value) =>
        writeInt64(buffer, offset, ((value as Date).getTime() - POSTGRES_EPOCH_MS) * 1000),
    },
  ],
]);

/**
 * `values[start..end)` as a one-dimensional PostgreSQL array in the binary format (what `array_send`
 * produces), for binding a whole column as one `$n::type[]` parameter: node-postgres sends a Buffer
 * parameter as binary. Nothing is formatted as text and parsed back on either side. Undefined when the
 * type has no binary encoding here or a value does not fit it exactly.
 */
export function binaryArray(
  type: string,
  values: readonly unknown[],
  start = 0,
  end = values.length,
): Buffer | undefined {
  const encoding = ENCODINGS.get(type);
  if (!encoding) return undefined;
  // Header: dimensions, has-nulls flag, element type, then length and lower bound of the dimension.
  let size = 20;
  let nulls = 0;
  for (let i = start; i < end; i++) {
    const value = values[i];
    if (value == null) {
      nulls = 1;
      size += 4;
      continue;
    }
    const bytes = encoding.size(value);
    if (bytes === undefined) return undefined;
    size += 4 + bytes;
  }
  const buffer = Buffer.allocUnsafe(size);
  let offset = buffer.writeInt32BE(1, 0);
  offset = buffer.writeInt32BE(nulls, offset);
  offset = buffer.writeInt32BE(encoding.oid, offset);
  offset = buffer.writeInt32BE(end - start, offset);
  offset = buffer.writeInt32BE(1, offset);
  for (let i = start; i < end; i++) {
    const value = values[i];
    if (value == null) {
      offset = buffer.writeInt32BE(-1, offset);
      continue;
    }
    const next = encoding.write(buffer, offset + 4, value);
    buffer.writeInt32BE(next - offset - 4, offset);
    offset = next;
  }
  return offset === size ? buffer : buffer.subarray(0, offset);
}
