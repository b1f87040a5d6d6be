import { Transform } from 'class-transformer';
import { IsDate } from 'class-validator';

/**
 * ISO 8601 extended format as RFC 3339 profiles it: a calendar date, a time, an optional fraction
 * and an explicit offset. A timestamp without an offset is a guess about the device's time zone.
 */
const ISO_TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * The instant a strict ISO 8601 timestamp names, or undefined for anything else: other types,
 * other formats (RFC 2822, epoch numbers, "March 7"), and dates that are not in the calendar
 * (2025-02-30), which `new Date()` silently rolls over into the next month.
 */
export function parseIsoTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const match = ISO_TIMESTAMP.exec(value);
  if (!match) return undefined;
  // Read field by field: this runs for every reading, and arrays of the fields would be garbage.
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const hour = Number(match[4]);
  const minute = Number(match[5]);
  const second = Number(match[6]);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offsetMs = match[8] === undefined ? 0 : offsetOf(match[8], Number(match[9]), Number(match[10]));
  if (Number.isNaN(offsetMs)) return undefined;
  const milliseconds = match[7] === undefined ? 0 : Number(match[7].slice(0, 3).padEnd(3, '0'));
  let instant = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
  // Date.UTC reads the years 0..99 as 1900..1999.
  if (year < 100) instant = new Date(instant).setUTCFullYear(year);
  return new Date(instant - offsetMs);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function offsetOf(sign: string, hours: number, minutes: number): number {
  if (hours > 23 || minutes > 59) return NaN;
  return (sign === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

/**
 * A `Date` property sent as a strict ISO 8601 timestamp (see parseIsoTimestamp). Anything else is
 * left as it came, so the date check fails with the rule in its message, not with a made-up date.
 */
export function IsIsoTimestamp(): PropertyDecorator {
  const toDate = Transform(({ value }) => parseIsoTimestamp(value) ?? value);
  const isDate = IsDate({
    message:
      '$property must be an ISO 8601 date-time with a calendar date and an offset, e.g. 2025-03-07T10:15:00Z or 2025-03-07T19:15:00.250+09:00',
  });
  return (target, property) => {
    toDate(target, property);
    isDate(target, property);
  };
}
