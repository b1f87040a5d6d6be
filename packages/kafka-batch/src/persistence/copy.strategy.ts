import type { PoolClient } from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectLiteral, QueryRunner } from 'typeorm';
import { attributeFailure, copyErrorLine, FailureContext } from './bulk-write.error';
import type { BulkWriteStrategy, StrategyInput, StrategyOutcome } from './bulk-write.strategy';
import { ColumnGroup, groupByDefinedColumns } from './column-mapping';
import { copyField } from './copy-text';
import { conflictClause, countingInsert, writtenCounts } from './postgres-sql';
import { toPostgresText } from './postgres-text';
import { quotedColumns, quotedTable } from './sql-identifiers';

/** Rows per chunk of COPY data handed to the stream: big enough to amortise, small enough to interleave. */
const ROWS_PER_WRITE = 1_000;

let stagingTables = 0;

/**
 * COPY FROM STDIN, PostgreSQL's fastest way in. Plain inserts stream straight into the table; ignoring
 * conflicts and upserts stream into a temporary table of the written columns (dropped at commit) and
 * then run one `INSERT ... SELECT ... ON CONFLICT`, since COPY itself has no conflict handling.
 */
export class CopyStrategy implements BulkWriteStrategy {
  readonly name = 'copy' as const;

  async write<Entity extends ObjectLiteral>(input: StrategyInput<Entity>): Promise<StrategyOutcome> {
    const { queryRunner, metadata, operation } = input;
    const table = quotedTable(metadata);
    const groups = groupByDefinedColumns(metadata, input.rows.rows, input.rows.sourceIndexes);
    let written = 0;
    let inserted = 0;
    let statements = 0;

    for (const [g, group] of groups.entries()) {
      const rows = group.sourceIndexes.length;
      const context: FailureContext = {
        table,
        operation: operation.kind,
        strategy: this.name,
        chunk: {
          index: g + 1,
          count: groups.length,
          firstRow: group.sourceIndexes[0],
          lastRow: group.sourceIndexes[rows - 1],
        },
      };
      const columns = quotedColumns(group.columns);
      const rowOfLine = (cause: unknown) => {
        const line = copyErrorLine(cause);
        return line === undefined ? undefined : group.sourceIndexes[line];
      };

      if (operation.kind === 'insert') {
        const copied = await attributeFailure(
          context,
          () => copyInto(queryRunner, `${table} (${columns})`, group),
          rowOfLine,
        );
        written += copied;
        inserted += copied;
        statements++;
        continue;
      }

      const staging = `bulk_staging_${++stagingTables}`;
      const result = await attributeFailure(
        context,
        async () => {
          await queryRunner.query(
            `CREATE TEMP TABLE ${staging} ON COMMIT DROP AS SELECT ${columns} FROM ${table} WITH NO DATA`,
          );
          await copyInto(queryRunner, staging, group);
          const insert = `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM ${staging}`;
          return queryRunner.query(
            countingInsert(insert + conflictClause(operation, group.columns), operation),
            [],
            true,
          );
        },
        rowOfLine,
      );
      statements += 3;
      const counts = writtenCounts(result, operation);
      written += counts.written;
      inserted += counts.inserted;
    }
    return { written, inserted, statements };
  }
}

async function copyInto(queryRunner: QueryRunner, target: string, group: ColumnGroup): Promise<number> {
  const { from } = await import('pg-copy-streams');
  // For the postgres driver the query runner's connection is the pg client holding the transaction.
  const client = (await queryRunner.connect()) as PoolClient;
  const copy = client.query(from(`COPY ${target} FROM STDIN`));
  await pipeline(Readable.from(copyLines(group)), copy);
  return copy.rowCount;
}

function* copyLines(group: ColumnGroup): Generator<string> {
  const rows = group.sourceIndexes.length;
  const { values } = group;
  for (let start = 0; start < rows; start += ROWS_PER_WRITE) {
    let text = '';
    for (let row = start; row < Math.min(rows, start + ROWS_PER_WRITE); row++) {
      for (let c = 0; c < values.length; c++) {
        text += (c ? '\t' : '') + copyField(toPostgresText(values[c][row]));
      }
      text += '\n';
    }
    yield text;
  }
}
