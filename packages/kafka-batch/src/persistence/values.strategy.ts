import type { DatabaseType, ObjectLiteral } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { attributeFailure, failedChunk } from './bulk-write.error';
import type { BulkWriteStrategy, StrategyInput, StrategyOutcome } from './bulk-write.strategy';
import { chunkRanges } from './chunking';
import { rowsPerStatement } from './parameter-limit';
import { countingInsert, quotedTable, writtenCounts } from './postgres-sql';
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
      const builder = queryRunner.manager
        .createQueryBuilder()
        .insert()
        .into(metadata.target)
        .values(rows.slice(chunk.start, chunk.end) as QueryDeepPartialEntity<Entity>[])
        .updateEntity(false);
      if (updates.length && operation.kind === 'upsert') {
        const conflict = operation.conflictColumns.map((column) => column.databaseName);
        builder.orUpdate(
          updates.map((column) => column.databaseName),
          conflict,
        );
      } else if (operation.kind !== 'insert') {
        builder.orIgnore();
      }
      const [sql, parameters] = builder.getQueryAndParameters();
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
