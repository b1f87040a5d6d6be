import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata, QueryRunner } from 'typeorm';
import { quotedColumn, quotedTable } from './sql-identifiers';

/**
 * The SQL type of each column as the server declared it, without type modifiers: UNNEST needs a typed
 * array per column, and TypeORM's metadata types are its own abstractions (`simple-json`, enum names
 * that depend on naming options). Leaving out the modifier matters: an explicit cast to varchar(5)
 * truncates silently, while the INSERT's assignment cast rejects a value that is too long, as VALUES does.
 */
export class PostgresColumnTypes {
  private readonly byTable = new WeakMap<EntityMetadata, Promise<Map<string, string>>>();

  async typesOf(queryRunner: QueryRunner, columns: readonly ColumnMetadata[]): Promise<string[]> {
    const metadata = columns[0].entityMetadata;
    let types = this.byTable.get(metadata);
    if (!types) {
      types = this.load(queryRunner, metadata);
      this.byTable.set(metadata, types);
      types.catch(() => this.byTable.delete(metadata));
    }
    const known = await types;
    return columns.map((column) => {
      const type = known.get(column.databaseName);
      if (!type) throw new Error(`table ${quotedTable(metadata)} has no column ${quotedColumn(column)}`);
      return type;
    });
  }

  private async load(queryRunner: QueryRunner, metadata: EntityMetadata): Promise<Map<string, string>> {
    const rows: { name: string; type: string }[] = await queryRunner.query(
      `SELECT attname AS name, format_type(atttypid, NULL) AS type FROM pg_attribute
       WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
      [quotedTable(metadata)],
    );
    return new Map(rows.map((row) => [row.name, row.type]));
  }
}

export const isArrayType = (type: string): boolean => type.endsWith('[]');
