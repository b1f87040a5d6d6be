import { arrayLiteral } from './postgres-array-literal';
import { binaryArray } from './postgres-binary-array';

/**
 * `values[start..end)` as one bind parameter for `$n::<type>[]`, where `type` is the element type as
 * PostgreSQL names it (`format_type`: 'double precision', 'timestamp with time zone', 'text'...):
 * binary when the type has an exact binary form and every value fits it, an array literal otherwise.
 * Binding a column this way costs neither side a text conversion per value; it is how BulkRepository's
 * unnest strategy sends columns, and what a hand-written `UNNEST` statement can use too.
 */
export function postgresArrayParameter(
  type: string,
  values: readonly unknown[],
  start = 0,
  end = values.length,
): Buffer | string {
  return binaryArray(type, values, start, end) ?? arrayLiteral(values, start, end);
}
