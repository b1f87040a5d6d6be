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

/** The parser as a regular expression states it: the oracle of the character-by-character one. */
function parsedByPattern(value: string): number | undefined {
  const match =
    /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(
      value,
    );
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (month < 1 || month > 12 || day < 1 || day > days || hour > 23 || minute > 59 || second > 59)
    return undefined;
  const [offsetHours, offsetMinutes] = [Number(match[9] ?? 0), Number(match[10] ?? 0)];
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  const offsetMs = (match[8] === '-' ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
  const ms = match[7] === undefined ? 0 : Number(match[7].slice(0, 3).padEnd(3, '0'));
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, ms));
  date.setUTCFullYear(year);
  return date.getTime() - offsetMs;
}

describe('parseIsoTimestamp', () => {
  it('reads exactly what the regular expression of RFC 3339 matches, as the same instant', () => {
    const digit = fc.constantFrom(...'0123456789');
    const piece = fc.oneof(
      fc.stringMatching(
        /^\d{4}-[01]\d-[0-3]\dT[0-2]\d:[0-6]\d:[0-6]\d(\.\d{0,11})?(Z|[+-][0-2]\d:[0-6]\d)?$/,
      ),
      fc.string({ unit: fc.oneof(digit, fc.constantFrom(...'-T:.Z+ z')), minLength: 18, maxLength: 34 }),
    );
    // Mutations of near-valid text: a character replaced, dropped or added anywhere.
    const text = fc
      .tuple(
        piece,
        fc.nat(40),
        fc.constantFrom('keep', 'drop', 'add', 'swap'),
        fc.oneof(digit, fc.constantFrom(...'-T:.Z+ \n\u0663x')),
      )
      .map(([t, at, edit, c]) =>
        edit === 'keep'
          ? t
          : edit === 'drop'
            ? t.slice(0, at) + t.slice(at + 1)
            : edit === 'add'
              ? t.slice(0, at) + c + t.slice(at)
              : t.slice(0, at) + c + t.slice(at + 1),
      );
    fc.assert(
      fc.property(text, (t) => expect(parseIsoTimestamp(t)?.getTime()).toBe(parsedByPattern(t))),
      { numRuns: 20_000 },
    );
  });
});

describe('ReadingDto clock skew', () => {
  const at = (msAhead: number) => new Date(Date.now() + msAhead).toISOString();

  it('takes a timestamp up to 5 minutes ahead of our clock, and names the rule beyond', () => {
    expect(problemsWith(at(4 * 60_000))).toEqual([]);
    expect(problemsWith(at(6 * 60_000))).toEqual(['timestamp must not be more than 5 minutes in the future']);
  });

  it('gives the same verdict through the library validator', () => {
    const validator = new RecordValidator(ReadingDto);
    expect(() => validator.validateSync({ ...valid, timestamp: at(4 * 60_000) })).not.toThrow();
    expect(() => validator.validateSync({ ...valid, timestamp: at(6 * 60_000) })).toThrow(
      'timestamp must not be more than 5 minutes in the future',
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
