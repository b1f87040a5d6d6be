import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm';

/** One call's intent, with property paths resolved to columns. */
export type WriteOperation =
  | { kind: 'insert' }
  /** A conflict on any unique constraint or primary key skips the row. */
  | { kind: 'ignore' }
  | {
      kind: 'upsert';
      conflictColumns: ColumnMetadata[];
      updateColumns: ColumnMetadata[] | 'all-but-conflict';
    };

export type WriteKind = WriteOperation['kind'];

export function resolveColumns(metadata: EntityMetadata, paths: readonly string[]): ColumnMetadata[] {
  return paths.map((path) => {
    const column = metadata.findColumnWithPropertyPath(path);
    if (!column) {
      throw new Error(`${metadata.name} has no column at property path "${path}"`);
    }
    return column;
  });
}

/**
 * The columns an upsert overwrites among those a statement writes: an explicit list is kept only where
 * the statement has the column, so a row shape that lacks it leaves the stored value alone.
 */
export function columnsToUpdate(
  operation: Extract<WriteOperation, { kind: 'upsert' }>,
  written: readonly ColumnMetadata[],
): ColumnMetadata[] {
  const requested = operation.updateColumns;
  if (requested === 'all-but-conflict') {
    return written.filter((column) => !operation.conflictColumns.includes(column) && !column.isCreateDate);
  }
  return written.filter((column) => requested.includes(column));
}
