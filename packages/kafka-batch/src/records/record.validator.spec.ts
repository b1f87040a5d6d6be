import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested } from 'class-validator';
import { CheckedReading } from '../../test/unit/fakes/checked-reading.dto';
import { RecordValidationError, RecordValidator } from './record.validator';

class Reading {
  @IsString() deviceId!: string;
  @IsInt() @Min(0) battery!: number;
}

class ReadingWithCheckedParent extends CheckedReading {
  @IsInt() battery!: number;
}

class Envelope {
  @ValidateNested() @Type(() => CheckedReading) reading!: CheckedReading;
}

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

  it('passes only declared properties through class-transformer, whose cost is quadratic in the keys', () => {
    const validator = new RecordValidator(Reading);
    const extra = { nested: { deeper: [1, 2] } };
    const value = { deviceId: 'd-1', battery: 5, extra, ...{ k1: 1, k2: 2 } };
    const instance = validator.validateSync(value) as Reading & { extra: unknown; k2: number };
    expect(instance).toBeInstanceOf(Reading);
    expect(instance.extra).toBe(extra); // carried over as it was decoded, not copied key by key
    expect(instance.k2).toBe(2);
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
