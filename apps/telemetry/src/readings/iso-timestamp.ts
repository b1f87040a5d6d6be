import { Transform } from 'class-transformer';
import { IsDate } from 'class-validator';

/**
 * The instant a strict ISO 8601 timestamp names, or undefined for anything else: other types,
 * other formats (RFC 2822, epoch numbers, "March 7"), and dates that are not in the calendar
 * (2025-02-30), which `new Date()` silently rolls over into the next month.
 *
 * ISO 8601 extended format as RFC 3339 profiles it: a calendar date, a time, an optional fraction of
 * 1 to 9 digits and an explicit offset (`Z` or ±hh:mm); a timestamp without an offset is a guess
 * about the device's time zone. Read character by character, as
 * `^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$` would
 * match it: this runs for every reading, and the regular expression's match was an array and
 * eleven strings of garbage each time.
 */
export function parseIsoTimestamp(value: unknown): Date | undefined {
  if (typeof value !== 'string' || value.length < 20) return undefined;
  const year = digitsAt(value, 0, 4);
  const month = digitsAt(value, 5, 2);
  const day = digitsAt(value, 8, 2);
  const hour = digitsAt(value, 11, 2);
  const minute = digitsAt(value, 14, 2);
  const second = digitsAt(value, 17, 2);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
  if (!separatedAt(value, 4, DASH) || !separatedAt(value, 7, DASH) || !separatedAt(value, 10, T))
    return undefined;
  if (!separatedAt(value, 13, COLON) || !separatedAt(value, 16, COLON)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let at = 19;
  let milliseconds = 0;
  if (separatedAt(value, at, DOT)) {
    const digits = fractionDigits(value, at + 1);
    if (digits < 1 || digits > 9) return undefined;
    // The first three digits, padded: .5 is 500 ms, .123456 is 123 ms.
    const read = Math.min(digits, 3);
    milliseconds = digitsAt(value, at + 1, read) * 10 ** (3 - read);
    at += 1 + digits;
  }
  const offsetMs = offsetAt(value, at);
  if (Number.isNaN(offsetMs)) return undefined;
  let instant = Date.UTC(year, month - 1, day, hour, minute, second, milliseconds);
  // Date.UTC reads the years 0..99 as 1900..1999.
  if (year < 100) instant = new Date(instant).setUTCFullYear(year);
  return new Date(instant - offsetMs);
}

const ZERO = 0x30;
const DASH = 0x2d;
const T = 0x54;
const COLON = 0x3a;
const DOT = 0x2e;
const Z = 0x5a;
const PLUS = 0x2b;

/** The number written by `length` ASCII digits from `start`; -1 when one of them is not a digit. */
function digitsAt(text: string, start: number, length: number): number {
  let number = 0;
  for (let i = start; i < start + length; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (!(digit >= 0 && digit <= 9)) return -1;
    number = number * 10 + digit;
  }
  return number;
}

function separatedAt(text: string, at: number, separator: number): boolean {
  return text.charCodeAt(at) === separator;
}

/** How many digits follow from `start`, up to ten (more than nine is refused either way). */
function fractionDigits(text: string, start: number): number {
  let count = 0;
  while (count < 10 && digitsAt(text, start + count, 1) >= 0) count++;
  return count;
}

/** The offset that ends the text at `at`, in ms east of UTC; NaN when the text does not end in one. */
function offsetAt(text: string, at: number): number {
  const sign = text.charCodeAt(at);
  if (sign === Z) return at + 1 === text.length ? 0 : NaN;
  if ((sign !== PLUS && sign !== DASH) || at + 6 !== text.length || !separatedAt(text, at + 3, COLON))
    return NaN;
  const hours = digitsAt(text, at + 1, 2);
  const minutes = digitsAt(text, at + 4, 2);
  if (hours < 0 || minutes < 0 || hours > 23 || minutes > 59) return NaN;
  return (sign === DASH ? -1 : 1) * (hours * 60 + minutes) * 60_000;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1];
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
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
