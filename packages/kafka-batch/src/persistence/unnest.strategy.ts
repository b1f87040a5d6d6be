import type { ObjectLiteral } from 'typeorm';
import { attributeFailure, failedChunk } from './bulk-write.error';
import type { BulkWriteStrategy, StrategyInput, StrategyOutcome } from './bulk-write.strategy';
import { Chunk, chunkRanges, renumber } from './chunking';
import { groupByDefinedColumns } from './column-mapping';
import { isArrayType, PostgresColumnTypes } from './postgres-column-types';
import { conflictClause, countingInsert, writtenCounts } from './postgres-sql';
import { postgresArrayParameter } from './postgres-array-parameter';
import { toPostgresText } from './postgres-text';
import { quotedColumns, quotedTable } from './sql-identifiers';

/**
 * `INSERT INTO t (cols) SELECT ... FROM UNNEST($1::type[], $2::type[], ...)`: one bind parameter per
 * column whatever the number of rows, so a chunk is bounded only by `chunkSize`, and the statement text
 * is the same for every chunk of a shape. Each column of a chunk is bound as one array: in PostgreSQL's
 * binary format where its type has one that stores exactly what text would (numbers, booleans, text,
 * timestamps with a zone), as nothing is printed and parsed back then; otherwise as an array literal
 * string built here rather than by node-postgres from a JS array (see postgresArrayParameter).
 * Array-typed columns travel as text[] of array literals, cast back per element, because UNNEST would
 * flatten a two-dimensional array.
 */
export class UnnestStrategy implements BulkWriteStrategy {
  readonly name = 'unnest' as const;

  constructor(private readonly columnTypes = new PostgresColumnTypes()) {}

  async write<Entity extends ObjectLiteral>(input: StrategyInput<Entity>): Promise<StrategyOutcome> {
    const { queryRunner, metadata, operation } = input;
    const table = quotedTable(metadata);
    const groups = groupByDefinedColumns(metadata, input.rows.rows, input.rows.sourceIndexes);
    const chunksByGroup = renumber(
      groups.map((group) => chunkRanges(group.sourceIndexes.length, input.chunkSize)),
    );
    let written = 0;
    let inserted = 0;
    let statements = 0;

    for (const [g, group] of groups.entries()) {
      const types = await this.columnTypes.typesOf(queryRunner, group.columns);
      const arrays = types.map((type, i) =>
        isArrayType(type) ? `$${i + 1}::text[]` : `$${i + 1}::${type}[]`,
      );
      const selected = types.map((type, i) => (isArrayType(type) ? `c${i}::${type}` : `c${i}`));
      const aliases = types.map((_, i) => `c${i}`);
      const sql = countingInsert(
        `INSERT INTO ${table} (${quotedColumns(group.columns)}) SELECT ${selected.join(', ')} ` +
          `FROM UNNEST(${arrays.join(', ')}) AS u(${aliases.join(', ')})${conflictClause(operation, group.columns)}`,
        operation,
      );
      const parameters = group.values.map((values, i) =>
        isArrayType(types[i])
          ? values.map((value) => (value == null ? null : toPostgresText(value)))
          : values,
      );

      const columnArrays = (chunk: Chunk) =>
        parameters.map((values, i) => postgresArrayParameter(types[i], values, chunk.start, chunk.end));
      const chunks = chunksByGroup[g];
      let next = columnArrays(chunks[0]);
      for (const [c, chunk] of chunks.entries()) {
        const context = {
          table,
          operation: operation.kind,
          strategy: this.name,
          chunk: failedChunk(chunk, group.sourceIndexes),
        };
        const sent = next;
        const running = attributeFailure(context, () => queryRunner.query(sql, sent, true));
        if (c + 1 < chunks.length) {
          // Build the next chunk's arrays while the server runs this one. TypeORM hands the query to
          // the driver a few promise ticks later, so wait for it to be on the wire first; a failure
          // arriving meanwhile is rethrown by the await below, not reported as unhandled.
          running.catch(() => undefined);
          await new Promise((resolve) => setImmediate(resolve));
          next = columnArrays(chunks[c + 1]);
        }
        const result = await running;
        statements++;
        const counts = writtenCounts(result, operation);
        written += counts.written;
        inserted += counts.inserted;
      }
    }
    return { written, inserted, statements };
  }
}
