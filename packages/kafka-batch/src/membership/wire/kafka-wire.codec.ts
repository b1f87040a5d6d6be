/**
 * The few Kafka protocol types the library's own requests need (non-flexible versions): big-endian
 * integers, strings with an int16 length (-1 for null), bytes with an int32 length, int32-counted arrays.
 */
export class WireWriter {
  private readonly chunks: Buffer[] = [];

  int8(value: number): this {
    return this.push(Buffer.from([value & 0xff]));
  }

  int16(value: number): this {
    const buffer = Buffer.alloc(2);
    buffer.writeInt16BE(value);
    return this.push(buffer);
  }

  int32(value: number): this {
    const buffer = Buffer.alloc(4);
    buffer.writeInt32BE(value);
    return this.push(buffer);
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    const bytes = Buffer.from(value, 'utf8');
    return this.int16(bytes.length).push(bytes);
  }

  bytes(value: Buffer): this {
    return this.int32(value.length).push(value);
  }

  array<T>(items: readonly T[], write: (writer: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) write(this, item);
    return this;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }

  private push(buffer: Buffer): this {
    this.chunks.push(buffer);
    return this;
  }
}

export class WireReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  int8(): number {
    return this.buffer.readInt8(this.advance(1));
  }

  int16(): number {
    return this.buffer.readInt16BE(this.advance(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.advance(4));
  }

  int64(): bigint {
    return this.buffer.readBigInt64BE(this.advance(8));
  }

  string(): string | null {
    const length = this.int16();
    if (length < 0) return null;
    const start = this.advance(length);
    return this.buffer.toString('utf8', start, start + length);
  }

  bytes(): Buffer | null {
    const length = this.int32();
    if (length < 0) return null;
    const start = this.advance(length);
    return this.buffer.subarray(start, start + length);
  }

  array<T>(read: (reader: this) => T): T[] {
    const count = this.int32();
    const items: T[] = [];
    for (let i = 0; i < count; i++) items.push(read(this));
    return items;
  }

  private advance(length: number): number {
    const start = this.offset;
    if (start + length > this.buffer.length)
      throw new Error(
        `Kafka response cut short: ${length} bytes wanted at ${start} of ${this.buffer.length}`,
      );
    this.offset += length;
    return start;
  }
}
