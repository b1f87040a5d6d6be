import 'reflect-metadata';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsString,
  Min,
  Validate,
  ValidateNested,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import type { RawRecord } from '../interfaces/raw-record.interface';
import { RecordDecoder } from './record.decoder';
import { RecordValidationError, RecordValidator } from './record.validator';

class Reading {
  @IsString() deviceId!: string;
  @IsInt() @Min(0) battery!: number;
}

@ValidatorConstraint({ name: 'knownDevice', async: true })
class KnownDevice implements ValidatorConstraintInterface {
  async validate(deviceId: unknown): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve));
    return deviceId !== 'unknown';
  }
  defaultMessage(): string {
    return 'deviceId is not a known device';
  }
}

class CheckedReading {
  @Validate(KnownDevice) deviceId!: string;
}

class ReadingWithCheckedParent extends CheckedReading {
  @IsInt() battery!: number;
}

class Envelope {
  @ValidateNested() @Type(() => CheckedReading) reading!: CheckedReading;
}

const raw = (value: unknown, offset: number): RawRecord => {
  const bytes = Buffer.from(JSON.stringify(value));
  return { topic: 't', partition: 0, offset, key: null, value: bytes, size: bytes.length, timestamp: 0 };
};

describe('RecordValidator', () => {
  it('validates synchronously a class whose constraints are all synchronous', () => {
    const validator = new RecordValidator(Reading);
    expect(validator.synchronous).toBe(true);
    expect(validator.validateSync({ deviceId: 'd-1', battery: 5 })).toEqual(
      Object.assign(new Reading(), { deviceId: 'd-1', battery: 5 }),
    );
    expect(() => validator.validateSync({ deviceId: 'd-1', battery: -1 })).toThrow(
      new RecordValidationError('invalid value: battery: battery must not be less than 0'),
    );
    expect(() => validator.validateSync([1])).toThrow('value must be a JSON object, got object');
  });

  it.each([
    ['a constraint declared async', CheckedReading],
    ['an async constraint inherited from a parent class', ReadingWithCheckedParent],
    ['a nested object, whose class is known only at run time', Envelope],
  ])('keeps the async path for %s, and the async check runs', async (_, type) => {
    const validator = new RecordValidator(type);
    expect(validator.synchronous).toBe(false);
    const value =
      type === Envelope ? { reading: { deviceId: 'unknown' } } : { deviceId: 'unknown', battery: 1 };
    await expect(validator.validate(value)).rejects.toThrow('is not a known device');
  });
});

describe('RecordDecoder validation', () => {
  it.each([
    ['synchronous', Reading, { deviceId: 'd-1', battery: -1 }],
    ['async', CheckedReading, { deviceId: 'unknown' }],
  ])(
    'hands on valid values as instances and sets invalid ones aside with the reason (%s)',
    async (_, type, bad) => {
      const decoder = new RecordDecoder({ deserializer: 'json', validate: type });
      const { records, undecodable } = await decoder.decode([
        raw({ deviceId: 'd-1', battery: 1 }, 0),
        raw(bad, 1),
        raw({ deviceId: 'd-2', battery: 2 }, 2),
      ]);
      expect(records.map((r) => [r.offset, r.value instanceof type])).toEqual([
        [0, true],
        [2, true],
      ]);
      expect(undecodable.map((u) => [u.raw.offset, u.reason.name])).toEqual([[1, 'RecordValidationError']]);
    },
  );
});
