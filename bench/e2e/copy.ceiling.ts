import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BenchDatabase, TELEMETRY_TABLES } from './bench.database';

export interface CopyCeiling {
  readings: number;
  seconds: number;
  perSecond: number;
}

/**
 * The database's ceiling: the rows a consumer just stored, taken out with COPY TO and written
 * back into the emptied tables with COPY FROM in one transaction. The same rows, the same
 * tables and indexes, nothing decoded, validated or mapped: as fast as these rows get stored.
 */
export async function measureCopyCeiling(database: BenchDatabase, readings: number): Promise<CopyCeiling> {
  const { client } = database;
  const exported = new Map<string, Buffer[]>();
  for (const table of TELEMETRY_TABLES) {
    const chunks: Buffer[] = [];
    const stream = client.query(copyTo(`COPY ${table} TO STDOUT`));
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    await new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject));
    exported.set(table, chunks);
  }
  await database.empty();

  const started = performance.now();
  await client.query('BEGIN');
  for (const [table, chunks] of exported) {
    await pipeline(Readable.from(chunks), client.query(copyFrom(`COPY ${table} FROM STDIN`)));
  }
  await client.query('COMMIT');
  const seconds = (performance.now() - started) / 1000;
  return { readings, seconds, perSecond: readings / seconds };
}
