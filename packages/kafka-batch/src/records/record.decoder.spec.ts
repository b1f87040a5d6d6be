import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsDate, IsInt, IsString, Min } from 'class-validator';
import type { EventLoopSlicer } from '../common/event-loop.slicer';
import type { ValueLimits } from '../interfaces/batch-listener-options.interface';
import { CheckedReading } from '../../test/unit/fakes/checked-reading.dto';
import type { RawRecord } from '../interfaces/raw-record.interface';
import { DecodedRecords, RecordDecoder } from './record.decoder';

class Reading {
  @IsString() deviceId!: string;
  @IsInt() @Min(0) battery!: number;
  @Type(() => Date) @IsDate() at!: Date;
}

const DEFAULT_LIMITS: ValueLimits = { maxBytes: 1024 * 1024, maxKeys: 10_000, maxDepth: 64 };
const JSON_DEFAULTS = { deserializer: 'json', validate: undefined, valueLimits: DEFAULT_LIMITS } as const;
const AT = '2025-03-07T10:15:00Z';

const rawOf = (value: Buffer | string, offset: number): RawRecord => {
  const bytes = Buffer.from(value);
  return { topic: 't', partition: 0, offset, key: null, value: bytes, size: bytes.length, timestamp: 0 };
};
const raw = (value: unknown, offset: number): RawRecord => rawOf(JSON.stringify(value), offset);

function nestedJson(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

/** A slicer whose slice is always used up: the decoder pauses before every record but the first. */
class EveryRecordSlicer implements EventLoopSlicer {
  pauses = 0;
  private started = false;
  constructor(private readonly onPause: () => void = () => undefined) {}
  due(): boolean {
    const due = this.started;
    this.started = true;
    return due;
  }
  async pause(): Promise<void> {
    this.pauses++;
    this.onPause();
  }
}

/** Never due: the whole batch is one slice. */
const ONE_SLICE: EventLoopSlicer = { due: () => false, pause: async () => undefined };

async function decode(
  raws: RawRecord[],
  options: Partial<ConstructorParameters<typeof RecordDecoder>[0]> = {},
): Promise<DecodedRecords> {
  const decoder = new RecordDecoder({ ...JSON_DEFAULTS, ...options });
  const decoded = await decoder.decode(raws);
  if (decoded === 'interrupted') throw new Error('not interrupted by anything');
  return decoded;
}

const reasons = ({ undecodable }: DecodedRecords) =>
  undecodable.map((u) => [u.raw.offset, u.reason.name, u.reason.message]);

describe('RecordDecoder', () => {
  it.each([
    ['synchronous', Reading, { deviceId: 'd-1', battery: -1, at: AT }],
    ['async', CheckedReading, { deviceId: 'unknown' }],
  ])(
    'hands on valid values as instances and sets invalid ones aside with the reason (%s)',
    async (_, type, bad) => {
      const decoded = await decode(
        [
          raw({ deviceId: 'd-1', battery: 1, at: AT }, 0),
          raw(bad, 1),
          raw({ deviceId: 'd-2', battery: 2, at: AT }, 2),
        ],
        { validate: type },
      );
      expect(decoded.records.map((r) => [r.offset, r.value instanceof type])).toEqual([
        [0, true],
        [2, true],
      ]);
      expect(decoded.undecodable.map((u) => [u.raw.offset, u.reason.name])).toEqual([
        [1, 'RecordValidationError'],
      ]);
    },
  );

  it('sets aside values beyond the limits, each with the limit it broke, and keeps the rest in order', async () => {
    const limits = { maxBytes: 200, maxKeys: 5, maxDepth: 3 };
    const decoded = await decode(
      [
        raw({ a: 1 }, 0),
        raw({ text: 'x'.repeat(200) }, 1),
        raw({ a: 1, b: 2, c: [3, 4, 5] }, 2),
        rawOf(nestedJson(4), 3),
        raw([1, 2], 4),
      ],
      { valueLimits: limits },
    );
    expect(decoded.records.map((r) => r.offset)).toEqual([0, 4]);
    expect(reasons(decoded)).toEqual([
      [1, 'ValueLimitError', 'value is 211 bytes, more than valueLimits.maxBytes (200)'],
      [2, 'ValueLimitError', 'value has more than valueLimits.maxKeys (5) object keys and array elements'],
      [3, 'ValueLimitError', 'value nests deeper than valueLimits.maxDepth (3 levels)'],
    ]);
  });

  it('rejects a valid reading with a 5,000-level extra field by the depth limit, and stores it under a higher one', async () => {
    const reading = JSON.stringify({ deviceId: 'd-1', battery: 5, at: AT }).replace(
      /}$/,
      `,"extra":${nestedJson(5_000)}}`,
    );
    const byDefault = await decode([rawOf(reading, 0)], { validate: Reading });
    expect(reasons(byDefault)).toEqual([
      [0, 'ValueLimitError', 'value nests deeper than valueLimits.maxDepth (64 levels)'],
    ]);
    const deepAllowed = await decode([rawOf(reading, 0)], {
      validate: Reading,
      valueLimits: { ...DEFAULT_LIMITS, maxDepth: 10_000 },
    });
    expect(reasons(deepAllowed)).toEqual([]);
    expect(deepAllowed.records[0].value).toMatchObject({ deviceId: 'd-1', battery: 5, at: new Date(AT) });
  });

  it('transforms the properties the class declares and carries the others over as decoded', async () => {
    const value = { deviceId: 'd-1', battery: 5, at: AT, extra: { nested: [1, 2] }, note: 'n' };
    const { records } = await decode([raw(value, 0)], { validate: Reading });
    const reading = records[0].value as Reading & { extra: unknown; note: string };
    expect(reading).toBeInstanceOf(Reading);
    expect(reading.at).toEqual(new Date(AT));
    expect(reading.extra).toEqual({ nested: [1, 2] });
    expect(reading.note).toBe('n');
  });

  it('never lets a "__proto__" key replace the prototype of the value handed over', async () => {
    const text = `{"deviceId":"d-1","battery":5,"at":"${AT}","__proto__":{"polluted":true},"constructor":1}`;
    const { records } = await decode([rawOf(text, 0)], { validate: Reading });
    const reading = records[0].value as Reading & { polluted?: boolean };
    expect(Object.getPrototypeOf(reading)).toBe(Reading.prototype);
    expect(reading.polluted).toBeUndefined();
    expect(reading.constructor).toBe(Reading);
  });

  it('hands the event loop back between slices of a batch', async () => {
    const slicer = new EveryRecordSlicer();
    const decoder = new RecordDecoder(JSON_DEFAULTS, slicer);
    const decoded = await decoder.decode([raw({ a: 1 }, 0), raw({ a: 2 }, 1), raw({ a: 3 }, 2)]);
    expect(slicer.pauses).toBe(2);
    expect(decoded).not.toBe('interrupted');
  });

  it('gives up a batch whose partitions stopped while it was being decoded', async () => {
    let stopped = false;
    const slicer = new EveryRecordSlicer(() => (stopped = true));
    const decoder = new RecordDecoder(JSON_DEFAULTS, slicer);
    const decoded = await decoder.decode(
      [raw({ a: 1 }, 0), raw({ a: 2 }, 1), raw({ a: 3 }, 2)],
      () => stopped,
    );
    expect(decoded).toBe('interrupted');
    expect(slicer.pauses).toBe(1);
  });

  describe('an asynchronous deserializer (a schema registry lookup)', () => {
    /** Looks every value up after a turn of the event loop; counts the lookups under way at once. */
    function lookingUp(fail?: (text: string) => boolean) {
      const seen = { inFlight: 0, most: 0 };
      const deserializer = async (value: Buffer | null) => {
        seen.most = Math.max(seen.most, ++seen.inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        seen.inFlight--;
        const text = value!.toString();
        if (fail?.(text)) throw new Error(`unknown schema for ${text}`);
        return { text };
      };
      return { deserializer, seen };
    }

    it('is awaited for every record of the batch side by side, and the records keep their order', async () => {
      const { deserializer, seen } = lookingUp();
      // One slice for the whole batch: a time slicer on a loaded machine hands the loop back
      // mid-batch, and lookups finish before the last one starts (CI once saw 33 of 50 at once).
      const decoder = new RecordDecoder({ ...JSON_DEFAULTS, deserializer }, ONE_SLICE);
      const decoded = (await decoder.decode(
        Array.from({ length: 50 }, (_, i) => rawOf(`v${i}`, i)),
      )) as DecodedRecords;
      expect(decoded.records.map((r) => r.value)).toEqual(
        Array.from({ length: 50 }, (_, i) => ({ text: `v${i}` })),
      );
      expect(seen.most).toBe(50);
    });

    it('sets aside a record whose lookup fails, with the reason, and keeps the others in order', async () => {
      const { deserializer } = lookingUp((text) => text === 'v1');
      const decoder = new RecordDecoder({
        ...JSON_DEFAULTS,
        deserializer,
        valueLimits: { ...DEFAULT_LIMITS, maxBytes: 5 },
      });
      const decoded = (await decoder.decode([
        rawOf('v0', 0),
        rawOf('v1', 1),
        rawOf('too long', 2),
        rawOf('v3', 3),
      ])) as DecodedRecords;
      expect(decoded.records.map((r) => r.offset)).toEqual([0, 3]);
      expect(decoded.undecodable.map((u) => [u.raw.offset, u.reason.name])).toEqual([
        [1, 'DeserializationError'],
        [2, 'ValueLimitError'],
      ]);
      expect(decoded.undecodable[0].reason.message).toBe(
        'cannot deserialize value as deserializer: unknown schema for v1',
      );
    });

    it('validates what it resolved to', async () => {
      const decoder = new RecordDecoder({
        ...JSON_DEFAULTS,
        deserializer: async (value) => JSON.parse(value!.toString()) as unknown,
        validate: Reading,
      });
      const decoded = (await decoder.decode([
        raw({ deviceId: 'a', battery: 5, at: AT }, 0),
        raw({ deviceId: 'b', battery: -1, at: AT }, 1),
      ])) as DecodedRecords;
      expect(decoded.records.map((r) => (r.value as Reading).deviceId)).toEqual(['a']);
      expect(decoded.undecodable[0].reason.message).toMatch(/battery must not be less than 0/);
    });
  });
});
