import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { Driver } from 'typeorm/driver/Driver';
import type { EntityMetadata } from 'typeorm';

/**
 * `name` as a quoted identifier of the driver's dialect, a closing quote inside it doubled
 * (`a"b` → `"a""b"`, `` a`b `` → `` `a``b` ``, `a]b` → `[a]]b]`), which is how SQL escapes it. TypeORM's
 * `driver.escape` only wraps the name, so a quote in the name would end the identifier early and turn
 * the rest into SQL; it still tells which quotes the dialect uses. Every identifier the repository
 * writes into SQL goes through here.
 */
export function quoteIdentifier(driver: Driver, name: string): string {
  const quotes = driver.escape('');
  const close = quotes.slice(1);
  return `${quotes.slice(0, 1)}${name.replaceAll(close, close + close)}${close}`;
}

/** A schema-qualified name (`schema.table`), each part quoted; absent parts are left out. */
export function quotedPath(driver: Driver, parts: readonly (string | undefined)[]): string {
  return parts
    .filter((part): part is string => Boolean(part))
    .map((part) => quoteIdentifier(driver, part))
    .join('.');
}

export function quotedTable(metadata: EntityMetadata): string {
  return quotedPath(metadata.connection.driver, [metadata.schema, metadata.tableName]);
}

export function quotedColumn(column: ColumnMetadata): string {
  return quoteIdentifier(column.entityMetadata.connection.driver, column.databaseName);
}

export function quotedColumns(columns: readonly ColumnMetadata[]): string {
  return columns.map(quotedColumn).join(', ');
}
