import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { RecordValidator } from '@org/kafka-batch';
import fc from 'fast-check';
import { parseIsoTimestamp } from './iso-timestamp';
import { ReadingDto } from './reading.dto';

const valid = {
  deviceId: 'dev-1',
  timestamp: '2025-03-07T10:15:00Z',
  temperature: 21.5,
  humidity: 40,
  power: 5,
  battery: 80,
  firmware: '2.5.0',
};

function problemsWith(timestamp: unknown): string[] {
  const reading = plainToInstance(ReadingDto, { ...valid, timestamp });
  return validateSync(reading).flatMap((error) => Object.values(error.constraints ?? {}));
}

describe('ReadingDto timestamp', () => {
  it.each([
    ['Z', '2025-03-07T10:15:00Z', '2025-03-07T10:15:00.000Z'],
    ['a positive offset', '2025-03-07T19:15:00+09:00', '2025-03-07T10:15:00.000Z'],
    ['a negative offset and a fraction', '2025-03-07T05:15:00.250-05:00', '2025-03-07T10:15:00.250Z'],
    ['microseconds', '2025-03-07T10:15:00.123456Z', '2025-03-07T10:15:00.123Z'],
    ['a leap day', '2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
    ['a year before 100', '0099-12-31T23:59:59Z', '0099-12-31T23:59:59.000Z'],
  ])('accepts strict ISO 8601 with %s, as the instant it names', (_, text, instant) => {
    expect(problemsWith(text)).toEqual([]);
    expect(parseIsoTimestamp(text)?.toISOString()).toBe(instant);
  });

  it.each([
    ['true', true],
    ['an epoch number', 1_741_342_500_000],
    ['"1"', '1'],
    ['"March 7"', 'March 7'],
    ['an RFC 2822 date', 'Fri, 07 Mar 2025 10:15:00 GMT'],
    ['a date that is not in the calendar', '2025-02-30T10:15:00Z'],
    ['a date without a time', '2025-02-30'],
    ['February 29 of a common year', '2025-02-29T00:00:00Z'],
    ['no offset', '2025-03-07T10:15:00'],
    ['a space for the T', '2025-03-07 10:15:00Z'],
    ['hour 24', '2025-03-07T24:00:00Z'],
    ['an offset beyond 23:59', '2025-03-07T10:15:00+24:00'],
    ['null', null],
    ['an object', { $date: '2025-03-07T10:15:00Z' }],
  ])('rejects %s with the rule as the reason', (_, timestamp) => {
    expect(parseIsoTimestamp(timestamp)).toBeUndefined();
    expect(problemsWith(timestamp)).toContain(
      'timestamp must be an ISO 8601 date-time with a calendar date and an offset, e.g. 2025-03-07T10:15:00Z or 2025-03-07T19:15:00.250+09:00',
    );
  });
});

describe('ReadingDto through the library validator', () => {
  const validator = new RecordValidator(ReadingDto);
  const messages = (errors: ValidationError[]) =>
    errors.flatMap((e) => Object.values(e.constraints ?? {}).map((c) => `${e.property}: ${c}`));

  it('is compiled: built and checked without class-transformer and class-validator per reading', () => {
    expect(validator.compiled).toBe(true);
  });

  it('gives the same instance or the same reasons as class-transformer and class-validator, for any reading', () => {
    const mostly = <T>(valid: fc.Arbitrary<T>) =>
      fc.oneof(
        { arbitrary: valid, weight: 15 },
        {
          arbitrary: fc.oneof(
            fc.string({ maxLength: 30 }),
            fc.double(),
            fc.integer(),
            fc.boolean(),
            fc.constant(null),
            fc.constantFrom('1', '2025-02-30T00:00:00Z', 'Fri, 07 Mar 2025 10:15:00 GMT', '9.9', ''),
          ),
          weight: 1,
        },
      );
    const reading = fc.record(
      {
        deviceId: mostly(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/)),
        timestamp: mostly(
          fc
            .date({
              min: new Date('2020-01-01T00:00:00Z'),
              max: new Date(Date.now() + 3_600_000),
              noInvalidDate: true,
            })
            .map((d) => d.toISOString()),
        ),
        temperature: mostly(fc.double({ min: -45, max: 130, noNaN: true })),
        humidity: mostly(fc.double({ min: -1, max: 101, noNaN: true })),
        power: mostly(fc.double({ min: 0, max: 10_000, noNaN: true })),
        battery: mostly(fc.integer({ min: 0, max: 100 })),
        firmware: mostly(fc.stringMatching(/^\d{1,2}\.\d{1,2}\.\d{1,2}$/)),
        rssi: mostly(fc.integer({ min: -131, max: 1 })),
      },
      { requiredKeys: ['deviceId', 'timestamp', 'temperature', 'humidity', 'power', 'battery', 'firmware'] },
    );
    const verdicts = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(reading, (plain) => {
        const value = JSON.parse(JSON.stringify(plain)) as object;
        const instance = plainToInstance(ReadingDto, structuredClone(value));
        const errors = validateSync(instance);
        if (errors.length === 0) {
          verdicts.valid++;
          expect(validator.validateSync(value)).toEqual(instance);
        } else {
          verdicts.invalid++;
          expect(() => validator.validateSync(value)).toThrow(
            `invalid value: ${messages(errors).join('; ')}`,
          );
        }
      }),
      { numRuns: 5_000 },
    );
    expect(verdicts.valid).toBeGreaterThan(500);
    expect(verdicts.invalid).toBeGreaterThan(500);
  });
});
