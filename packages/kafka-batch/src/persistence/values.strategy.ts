import type { DatabaseType, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { attributeFailure, failedChunk } from './bulk-write.error';
import type { BulkWriteStrategy, StrategyInput, StrategyOutcome } from './bulk-write.strategy';
import { chunkRanges } from './chunking';
import { guardClause } from './newer-row';
import { rowsPerStatement } from './parameter-limit';
import { countingInsert, writtenCounts } from './postgres-sql';
import { QuotingInsertQueryBuilder } from './quoting-insert.query-builder';
import { quotedTable } from './sql-identifiers';
import { columnsToUpdate, WriteKind } from './write.operation';

const SQLITE_FAMILY: readonly DatabaseType[] = [
  'sqlite',
  'better-sqlite3',
  'sqljs',
  'capacitor',
  'cordova',
  'expo',
  'nativescript',
  'react-native',
];

/**
 * Multi-row `INSERT ... VALUES` built by TypeORM's query builder, so it runs on every driver TypeORM
 * supports. Each chunk stays under the driver's bind-parameter limit: one parameter per column and row.
 * The builder quotes names with quoteIdentifier. `updateIfNewer`'s condition is appended to the SQL:
 * TypeORM's own (`overwriteCondition`) is PostgreSQL-only and missing from older 0.3 releases, and its
 * ON CONFLICT statement ends with the SET list, where the condition belongs.
 */
export class ValuesStrategy implements BulkWriteStrategy {
  readonly name = 'values' as const;

  async write<Entity extends ObjectLiteral>(input: StrategyInput<Entity>): Promise<StrategyOutcome> {
    const { queryRunner, metadata, operation } = input;
    const type = queryRunner.connection.driver.options.type;
    // PostgreSQL reports inserts and updates apart through the counting wrapper.
    const counted = type === 'postgres' && operation.kind === 'upsert';
    const insertable = metadata.columns.filter((column) => column.isInsert && !column.generatedType);
    const size = Math.min(input.chunkSize, rowsPerStatement(input.maxParameters, insertable.length));
    const { rows, sourceIndexes } = input.rows;
    const updates = operation.kind === 'upsert' ? columnsToUpdate(operation, insertable) : [];
    const affected: (number | undefined)[] = [];
    let inserted = 0;

    for (const chunk of chunkRanges(rows.length, size)) {
      const builder = new QuotingInsertQueryBuilder<Entity>(queryRunner.manager.createQueryBuilder())
        .insert()
        .into(metadata.target)
        .values(rows.slice(chunk.start, chunk.end) as QueryDeepPartialEntity<Entity>[])
        .updateEntity(false);
      const updating = updates.length > 0 && operation.kind === 'upsert';
      if (updating) {
        const conflict = operation.conflictColumns.map((column) => column.databaseName);
        builder.orUpdate(
          updates.map((column) => column.databaseName),
          conflict,
        );
      } else if (operation.kind !== 'insert') {
        builder.orIgnore();
      }
      const [insert, parameters] = builder.getQueryAndParameters();
      const sql = updating ? insert + guardClause(operation) : insert;
      const context = {
        table: quotedTable(metadata),
        operation: operation.kind,
        strategy: this.name,
        chunk: failedChunk(chunk, sourceIndexes),
      };
      const result = await attributeFailure(context, () =>
        queryRunner.query(counted ? countingInsert(sql, operation) : sql, parameters, true),
      );
      if (counted) {
        const counts = writtenCounts(result, operation);
        affected.push(counts.written);
        inserted += counts.inserted;
      } else {
        affected.push(reportsRows(type, operation.kind) ? result.affected : undefined);
      }
    }
    const written = affected.some((count) => count === undefined)
      ? undefined
      : affected.reduce<number>((sum, count) => sum + (count ?? 0), 0);
    return {
      written,
      inserted: counted ? inserted : operation.kind === 'upsert' ? undefined : written,
      statements: affected.length,
    };
  }
}

/**
 * Whether the driver's affected-row count is the number of rows written. MySQL counts an
 * `ON DUPLICATE KEY UPDATE` update twice; PostgreSQL and SQLite count each row once.
 */
function reportsRows(type: DatabaseType, kind: WriteKind): boolean {
  return type === 'postgres' || SQLITE_FAMILY.includes(type) || kind !== 'upsert';
}
