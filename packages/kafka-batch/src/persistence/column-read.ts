import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { ObjectLiteral } from 'typeorm';

/**
 * Column types whose values PostgresDriver.preparePersistentValue returns unchanged when the column has
 * no transformer; calling it anyway walks a dozen type comparisons and allocates an array per cell.
 * Types not listed here (dates, JSON, enums, simple-array, ...) still go through the driver.
 */
const POSTGRES_PASS_THROUGH_TYPES: ReadonlySet<unknown> = new Set([
  String,
  Number,
  'text',
  'varchar',
  'character varying',
  'char',
  'character',
  'citext',
  'uuid',
  'int',
  'int2',
  'int4',
  'int8',
  'integer',
  'smallint',
  'bigint',
  'float',
  'float4',
  'float8',
  'real',
  'double precision',
  'decimal',
  'numeric',
  'bool',
  'boolean',
]);

/**
 * One column of every row, converted as TypeORM would bind it: transformers applied, then the driver's
 * conversion. What varies per column (where the value lives, whether the driver changes it) is decided
 * once here, not per cell.
 */
export function readColumn(column: ColumnMetadata, rows: readonly ObjectLiteral[]): unknown[] {
  const values = new Array<unknown>(rows.length);
  if (column.isDiscriminator) return values.fill(column.entityMetadata.discriminatorValue);
  const driver = column.entityMetadata.connection.driver;
  // Outside embeddeds and relations, getEntityValue is a plain property read.
  const plain = !column.embeddedMetadata && !column.relationMetadata && !column.referencedColumn;
  const converted =
    column.transformer !== undefined ||
    driver.options.type !== 'postgres' ||
    !POSTGRES_PASS_THROUGH_TYPES.has(column.type);
  const property = column.propertyName;
  for (let row = 0; row < rows.length; row++) {
    const raw: unknown = plain ? rows[row][property] : column.getEntityValue(rows[row]);
    if (typeof raw === 'function') {
      throw new Error(
        `${column.entityMetadata.name}.${column.propertyPath} is a raw SQL expression, which only the "values" strategy writes`,
      );
    }
    const value = converted ? driver.preparePersistentValue(raw, column) : raw;
    // A new row starts at version 1, as TypeORM's own insert does.
    values[row] = column.isVersion && value === undefined ? 1 : value;
  }
  return values;
}
