import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
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
