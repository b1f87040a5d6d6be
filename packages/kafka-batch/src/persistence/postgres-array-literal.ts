import { toPostgresText } from './postgres-text';

const QUOTED_SPECIALS = /["\\]/;
const QUOTED_SPECIALS_ALL = /["\\]/g;

/**
 * `values[start..end)` as one PostgreSQL array literal (`{"a",NULL,1.5}`), for binding a whole column
 * as a single `$n::type[]` parameter. node-postgres would build the same literal from a JS array, but
 * through two regular expressions per element; here numbers and booleans go unquoted (their text
 * forms, NaN and Infinity included, contain nothing array syntax gives a meaning) and every other
 * element is double-quoted, which protects empty strings, the word NULL, commas, braces and
 * surrounding whitespace, with only `"` and `\` needing a backslash inside the quotes.
 */
export function arrayLiteral(values: readonly unknown[], start = 0, end = values.length): string {
  let literal = '{';
  for (let i = start; i < end; i++) {
    if (i > start) literal += ',';
    literal += arrayElement(values[i]);
  }
  return literal + '}';
}

function arrayElement(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  const text = value == null ? null : toPostgresText(value);
  if (text === null) return 'NULL';
  return QUOTED_SPECIALS.test(text) ? `"${text.replace(QUOTED_SPECIALS_ALL, '\\$&')}"` : `"${text}"`;
}
