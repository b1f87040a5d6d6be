import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/** One call's intent, with property paths resolved to columns. */
export type WriteOperation =
  | { kind: 'insert' }
  /** A conflict on any unique constraint or primary key skips the row. */
  | { kind: 'ignore' }
  | {
      kind: 'upsert';
      conflictColumns: ColumnMetadata[];
      updateColumns: ColumnMetadata[] | 'all-but-conflict';
      /** A conflicting row is updated only when the incoming row is newer by this column (newer-row.ts). */
      updateIfNewer?: ColumnMetadata;
    };

export type UpsertOperation = Extract<WriteOperation, { kind: 'upsert' }>;

export type WriteKind = WriteOperation['kind'];

/**
 * The columns an upsert overwrites among those a statement writes: an explicit list is kept only where
 * the statement has the column, so a row shape that lacks it leaves the stored value alone.
 */
export function columnsToUpdate(
  operation: UpsertOperation,
  written: readonly ColumnMetadata[],
): ColumnMetadata[] {
  const requested = operation.updateColumns;
  if (requested === 'all-but-conflict') {
    return written.filter((column) => !operation.conflictColumns.includes(column) && !column.isCreateDate);
  }
  return written.filter((column) => requested.includes(column));
}
