import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata, ObjectLiteral } from 'typeorm';

/**
 * Rows that define the same columns, laid out column by column (one array per column, as UNNEST and
 * COPY consume them). Values are what TypeORM would bind: transformers applied, then the driver's
 * conversion (dates, JSON, simple-array, ...).
 */
export interface ColumnGroup {
  columns: ColumnMetadata[];
  values: unknown[][];
  sourceIndexes: number[];
}

/**
 * Splits rows by the set of columns they define. A column a row leaves undefined gets its database
 * DEFAULT, which a typed array cannot express per element, so such rows are written by a statement of
 * their own that omits the column. Batches mapped from one message type have a single shape and so a
 * single group; explicit `null` is a value (NULL), not a missing column.
 */
export function groupByDefinedColumns<Entity extends ObjectLiteral>(
  metadata: EntityMetadata,
  rows: readonly Entity[],
  sourceIndexes: readonly number[],
): ColumnGroup[] {
  const candidates = metadata.columns.filter((column) => column.isInsert && !column.generatedType);
  const driver = metadata.connection.driver;
  const groups = new Map<string, { present: number[]; rows: unknown[][]; sourceIndexes: number[] }>();
  rows.forEach((row, rowIndex) => {
    const cells = candidates.map((column) =>
      cellValue(column, row, driver.preparePersistentValue.bind(driver)),
    );
    const signature = cells.map((cell) => (cell === undefined ? '0' : '1')).join('');
    let group = groups.get(signature);
    if (!group) {
      group = {
        present: cells.flatMap((cell, i) => (cell === undefined ? [] : [i])),
        rows: [],
        sourceIndexes: [],
      };
      groups.set(signature, group);
    }
    group.rows.push(cells);
    group.sourceIndexes.push(sourceIndexes[rowIndex]);
  });
  return [...groups.values()].map((group) => ({
    columns: group.present.map((i) => candidates[i]),
    values: group.present.map((i) => group.rows.map((cells) => cells[i])),
    sourceIndexes: group.sourceIndexes,
  }));
}

function cellValue(
  column: ColumnMetadata,
  row: ObjectLiteral,
  prepare: (value: unknown, column: ColumnMetadata) => unknown,
): unknown {
  if (column.isDiscriminator) return column.entityMetadata.discriminatorValue;
  const raw: unknown = column.getEntityValue(row);
  if (typeof raw === 'function') {
    throw new Error(
      `${column.entityMetadata.name}.${column.propertyPath} is a raw SQL expression, which only the "values" strategy writes`,
    );
  }
  const value = prepare(raw, column);
  // A new row starts at version 1, as TypeORM's own insert does.
  return column.isVersion && value === undefined ? 1 : value;
}
