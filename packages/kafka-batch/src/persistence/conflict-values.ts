import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { Driver } from 'typeorm/driver/Driver';
import type { ObjectLiteral } from 'typeorm';

/**
 * The conflict columns' values column by column, as the driver binds them (transformers applied, dates
 * and JSON converted): what decides whether two rows hit the same unique constraint entry, and, for
 * `updateIfNewer`'s column, which of them is newer.
 */
export function conflictValues(
  driver: Driver,
  columns: readonly ColumnMetadata[],
  rows: readonly ObjectLiteral[],
): unknown[][] {
  return columns.map((column) => {
    const values = new Array<unknown>(rows.length);
    for (let row = 0; row < rows.length; row++) {
      values[row] = driver.preparePersistentValue(column.getEntityValue(rows[row]), column);
    }
    return values;
  });
}
