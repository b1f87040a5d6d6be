import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { QueryResult } from 'typeorm';
import { guardClause } from './newer-row';
import { quotedColumn, quotedColumns } from './sql-identifiers';
import { columnsToUpdate, WriteOperation } from './write.operation';

// The conflict handling and the insert/update counts of the PostgreSQL statements.

/**
 * The ON CONFLICT clause for the operation, given the columns the statement writes. Update-date columns
 * the rows do not set are reset to their DEFAULT on update, as TypeORM's own upsert does.
 */
export function conflictClause(operation: WriteOperation, written: readonly ColumnMetadata[]): string {
  if (operation.kind === 'insert') return '';
  if (operation.kind === 'ignore') return ' ON CONFLICT DO NOTHING';
  const target = ` ON CONFLICT (${quotedColumns(operation.conflictColumns)})`;
  const updates = columnsToUpdate(operation, written);
  if (!updates.length) return `${target} DO NOTHING`;
  const assignments = [
    ...updates.map((column) => `${quotedColumn(column)} = EXCLUDED.${quotedColumn(column)}`),
    ...updates[0].entityMetadata.columns
      .filter((column) => column.isUpdateDate && !written.includes(column))
      .map((column) => `${quotedColumn(column)} = DEFAULT`),
  ];
  return `${target} DO UPDATE SET ${assignments.join(', ')}${guardClause(operation)}`;
}

/**
 * Wraps an INSERT so it answers with one row of counts instead of one row per written row. `xmax = 0`
 * holds for a row version this statement created, so it separates inserts from conflict updates.
 */
export function countingInsert(insert: string, operation: WriteOperation): string {
  if (operation.kind !== 'upsert') return insert;
  return (
    `WITH written AS (${insert} RETURNING (xmax = 0) AS inserted) ` +
    `SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS written FROM written`
  );
}

export interface CountRow {
  inserted: number;
  written: number;
}

/** What a statement from countingInsert wrote: its counts row for upserts, the affected rows otherwise. */
export function writtenCounts(result: QueryResult, operation: WriteOperation): CountRow {
  if (operation.kind === 'upsert') return (result.records as CountRow[])[0];
  const written = result.affected ?? 0;
  return { written, inserted: written };
}
