import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { quotedColumn, quotedTable } from './sql-identifiers';
import type { WriteOperation } from './write.operation';

/**
 * What "newer" means for upsertMany's `updateIfNewer`: a greater value of the column, NULL being older
 * than any value. The database applies it to a conflicting row, the repository to rows of one key within
 * a call, and the two must agree, so only columns whose values order alike in JavaScript and in SQL
 * qualify: numbers, and dates and timestamps (bound as Date objects, or as fixed-width text such as
 * SQLite's `YYYY-MM-DD HH:MM:SS.SSS`).
 */
export type Ordering = 'number' | 'time';

const NUMBER_TYPES: ReadonlySet<unknown> = new Set([
  Number,
  'int',
  'int2',
  'int4',
  'int8',
  'integer',
  'tinyint',
  'smallint',
  'mediumint',
  'bigint',
  'float',
  'float4',
  'float8',
  'real',
  'double',
  'double precision',
  'dec',
  'decimal',
  'numeric',
  'number',
]);

const TIME_TYPES: ReadonlySet<unknown> = new Set([
  Date,
  'date',
  'datetime',
  'timestamp',
  'timestamptz',
  'timestamp with time zone',
  'timestamp without time zone',
]);

export function orderingOf(column: ColumnMetadata): Ordering | undefined {
  if (NUMBER_TYPES.has(column.type)) return 'number';
  if (TIME_TYPES.has(column.type)) return 'time';
  return undefined;
}

/** The condition `ON CONFLICT ... DO UPDATE SET ...` ends with under `updateIfNewer`, or nothing. */
export function guardClause(operation: WriteOperation): string {
  if (operation.kind !== 'upsert' || !operation.updateIfNewer) return '';
  const column = quotedColumn(operation.updateIfNewer);
  const stored = `${quotedTable(operation.updateIfNewer.entityMetadata)}.${column}`;
  return ` WHERE ${stored} < EXCLUDED.${column} OR ${stored} IS NULL`;
}

/**
 * The in-call dedupe rule under `updateIfNewer`, given the column's values as the driver binds them:
 * row `row` takes the place of row `kept` of the same key unless `kept` is newer, so of equal values
 * (two NULLs included) the later row wins, as it does without the guard.
 */
export function newestWins(
  column: ColumnMetadata,
  values: readonly unknown[],
): (row: number, kept: number) => boolean {
  const greater = orderingOf(column) === 'number' ? greaterNumber : greaterTime;
  return (row, kept) => {
    const incoming = values[row];
    const current = values[kept];
    if (current == null) return true;
    if (incoming == null) return false;
    const currentIsNewer = greater(current, incoming);
    if (currentIsNewer === undefined) {
      throw new Error(
        `updateIfNewer cannot order the values ${String(current)} and ${String(incoming)} of ${column.entityMetadata.name}.${column.propertyPath}`,
      );
    }
    return !currentIsNewer;
  };
}

/** Exact for integers of any size (bigint columns arrive as strings), a double comparison otherwise. */
function greaterNumber(a: unknown, b: unknown): boolean | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a > b;
  const [x, y] = [integer(a), integer(b)];
  if (x !== undefined && y !== undefined) return x > y;
  const [p, q] = [Number(a), Number(b)];
  return Number.isNaN(p) || Number.isNaN(q) ? undefined : p > q;
}

function integer(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^[+-]?\d+$/.test(value)) return BigInt(value);
  return undefined;
}

function greaterTime(a: unknown, b: unknown): boolean | undefined {
  if (a instanceof Date && b instanceof Date) return a.getTime() > b.getTime();
  if (typeof a === 'string' && typeof b === 'string') return a > b;
  return undefined;
}
