import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata, ObjectLiteral } from 'typeorm';
import { readColumn } from './column-read';

/**
 * Rows that define the same columns, laid out column by column (one array per column, as UNNEST and
 * COPY consume them). Values are what TypeORM would bind: transformers applied, then the driver's
 * conversion (dates, JSON, simple-array, ...).
 */
export interface ColumnGroup {
  columns: ColumnMetadata[];
  values: unknown[][];
  sourceIndexes: readonly number[];
}

const insertableByEntity = new WeakMap<EntityMetadata, ColumnMetadata[]>();

/**
 * Splits rows by the set of columns they define. A column a row leaves undefined gets its database
 * DEFAULT, which a typed array cannot express per element, so such rows are written by a statement of
 * their own that omits the column. Batches mapped from one message type have a single shape and so a
 * single group; explicit `null` is a value (NULL), not a missing column.
 *
 * Each column is read once for all rows; with a single shape (the common case) those arrays are the
 * group's as they are, and a row of the previous row's shape needs no signature.
 */
export function groupByDefinedColumns<Entity extends ObjectLiteral>(
  metadata: EntityMetadata,
  rows: readonly Entity[],
  sourceIndexes: readonly number[],
): ColumnGroup[] {
  const candidates = insertableColumns(metadata);
  const values = candidates.map((column) => readColumn(column, rows));
  const rowsByShape = new Map<string, number[]>();
  let current: number[] | undefined;
  let currentRow = -1;
  for (let row = 0; row < rows.length; row++) {
    if (!current || !sameShape(values, row, currentRow)) current = rowsOfShape(rowsByShape, values, row);
    current.push(row);
    currentRow = row;
  }
  return [...rowsByShape.values()].map((shapeRows) => {
    const present = candidates.flatMap((_, c) => (values[c][shapeRows[0]] === undefined ? [] : [c]));
    const whole = shapeRows.length === rows.length;
    return {
      columns: present.map((c) => candidates[c]),
      values: present.map((c) => (whole ? values[c] : shapeRows.map((row) => values[c][row]))),
      sourceIndexes: whole ? sourceIndexes : shapeRows.map((row) => sourceIndexes[row]),
    };
  });
}

function insertableColumns(metadata: EntityMetadata): ColumnMetadata[] {
  let columns = insertableByEntity.get(metadata);
  if (!columns) {
    columns = metadata.columns.filter((column) => column.isInsert && !column.generatedType);
    insertableByEntity.set(metadata, columns);
  }
  return columns;
}

function sameShape(values: readonly unknown[][], row: number, other: number): boolean {
  for (const column of values)
    if ((column[row] === undefined) !== (column[other] === undefined)) return false;
  return true;
}

function rowsOfShape(
  rowsByShape: Map<string, number[]>,
  values: readonly unknown[][],
  row: number,
): number[] {
  const signature = values.map((column) => (column[row] === undefined ? '0' : '1')).join('');
  let shapeRows = rowsByShape.get(signature);
  if (!shapeRows) {
    shapeRows = [];
    rowsByShape.set(signature, shapeRows);
  }
  return shapeRows;
}
