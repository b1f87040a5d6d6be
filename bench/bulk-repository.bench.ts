// Benchmark for issue 5: BulkRepository strategies against TypeORM's save() and per-row insert(), with
// raw COPY (pg-copy-streams, no TypeORM) as the ceiling, on the same table in the same run.
//
//   pnpm bench:bulk
//   ROUNDS=5 NAIVE_ROWS=2000 ...                      # more rounds, fewer rows for the naive baselines
//
// Every figure is rows/s, the median of ROUNDS runs, each on a freshly truncated table; ratios are
// against COPY and save() of the same batch size.
import 'reflect-metadata';
import { BulkRepository, BulkStrategyName } from '@org/kafka-batch/persistence';
import { createTestDatabase } from '@org/testing';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { DataSource, EntitySchema } from 'typeorm';
import { machineDescription, writeReport } from './report';

interface Reading {
  id?: string;
  deviceId: string;
  ts: Date;
  temperature: number;
  humidity: number;
  power: number;
  battery: number;
  firmware: string;
}

const ReadingSchema = new EntitySchema<Reading>({
  name: 'BenchReading',
  tableName: 'bench_reading',
  columns: {
    id: { type: 'bigint', primary: true, generated: 'increment' },
    deviceId: { name: 'device_id', type: 'text' },
    ts: { type: 'timestamptz' },
    temperature: { type: 'double precision' },
    humidity: { type: 'double precision' },
    power: { type: 'double precision' },
    battery: { type: 'double precision' },
    firmware: { type: 'text' },
  },
  uniques: [{ name: 'bench_reading_device_ts', columns: ['deviceId', 'ts'] }],
});

const SIZES = [500, 5_000, 50_000];
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const NAIVE_ROWS = Number(process.env.NAIVE_ROWS ?? 5_000);
const KEY = { conflictPaths: ['deviceId', 'ts'] as const, update: 'all-but-conflict' as const };

function batch(size: number): Reading[] {
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: size }, (_, i) => ({
    deviceId: `device-${i % 1_000}`,
    ts: new Date(start + i * 1_000),
    temperature: 20 + (i % 50) / 10,
    humidity: 40 + (i % 30),
    power: 3.3 + (i % 7) / 100,
    battery: 0.5 + (i % 50) / 100,
    firmware: `1.${i % 4}.0`,
  }));
}

const escapeCopy = (text: string) =>
  text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);

/** The ceiling: one COPY on a raw pg client, rows serialized inline. */
async function rawCopy(client: Client, rows: Reading[]): Promise<void> {
  function* lines() {
    for (let i = 0; i < rows.length; i += 1_000) {
      let text = '';
      for (const r of rows.slice(i, i + 1_000)) {
        text += `${escapeCopy(r.deviceId)}\t${r.ts.toISOString()}\t${r.temperature}\t${r.humidity}\t${r.power}\t${r.battery}\t${escapeCopy(r.firmware)}\n`;
      }
      yield text;
    }
  }
  await client.query('BEGIN');
  await pipeline(
    Readable.from(lines()),
    client.query(
      copyFrom(
        'COPY bench_reading (device_id, ts, temperature, humidity, power, battery, firmware) FROM STDIN',
      ),
    ),
  );
  await client.query('COMMIT');
}

interface Method {
  label: string;
  /** Rows this method writes per run, when fewer than the batch (the slow baselines). */
  cap?: number;
  /** Fill the table with the batch's keys first, so an upsert updates every row. */
  existing?: boolean;
  run(rows: Reading[]): Promise<unknown>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<void> {
  const database = await createTestDatabase('kb_bench_bulk');
  const dataSource = await new DataSource({
    type: 'postgres',
    url: database.url,
    entities: [ReadingSchema],
    synchronize: true,
  }).initialize();
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const repository = dataSource.getRepository(ReadingSchema);
    const bulk = new BulkRepository<Reading>(dataSource, ReadingSchema);
    const strategies: BulkStrategyName[] = ['values', 'unnest', 'copy'];
    const methods: Method[] = [
      { label: 'raw COPY (pg-copy-streams, no TypeORM) — ceiling', run: (rows) => rawCopy(client, rows) },
      { label: 'TypeORM `repository.save(rows)`', cap: NAIVE_ROWS, run: (rows) => repository.save(rows) },
      {
        label: 'TypeORM `repository.insert(row)` per row',
        cap: NAIVE_ROWS,
        run: (rows) =>
          dataSource.transaction(async (manager) => {
            for (const row of rows) await manager.getRepository(ReadingSchema).insert(row);
          }),
      },
      ...strategies.map((strategy) => ({
        label: `bulk \`insertMany\` — ${strategy}`,
        run: (rows: Reading[]) => bulk.insertMany(rows, { strategy }),
      })),
      ...strategies.map((strategy) => ({
        label: `bulk \`upsertMany\`, new keys — ${strategy}`,
        run: (rows: Reading[]) => bulk.upsertMany(rows, { ...KEY, strategy }),
      })),
      ...strategies.map((strategy) => ({
        label: `bulk \`upsertMany\`, existing keys — ${strategy}`,
        existing: true,
        run: (rows: Reading[]) => bulk.upsertMany(rows, { ...KEY, strategy }),
      })),
    ];

    const measure = async (method: Method, size: number): Promise<{ rows: number; perSecond: number }> => {
      const rows = batch(Math.min(size, method.cap ?? size));
      const rates: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        await dataSource.query('TRUNCATE bench_reading');
        if (method.existing) await rawCopy(client, rows);
        await dataSource.query('VACUUM ANALYZE bench_reading');
        const started = performance.now();
        await method.run(rows);
        rates.push(rows.length / ((performance.now() - started) / 1_000));
      }
      return { rows: rows.length, perSecond: median(rates) };
    };

    console.log('warming up…');
    for (const method of methods) await measure(method, 500);

    const table = [
      `| batch | method | rows written | rows/s (median of ${ROUNDS}) | × COPY ceiling | × save() |`,
      '|---:|---|---:|---:|---:|---:|',
    ];
    for (const size of SIZES) {
      const results = [];
      for (const method of methods) {
        const result = await measure(method, size);
        console.log(`${fmt(size)} ${method.label}: ${fmt(result.perSecond)} rows/s`);
        results.push({ method, ...result });
      }
      const [ceiling, save] = results;
      for (const { method, rows, perSecond } of results) {
        table.push(
          `| ${fmt(size)} | ${method.label} | ${fmt(rows)} | ${fmt(perSecond)} | ` +
            `${(perSecond / ceiling.perSecond).toFixed(2)} | ${(perSecond / save.perSecond).toFixed(1)} |`,
        );
      }
    }

    const machine = machineDescription();
    const [{ server }] = await dataSource.query("SELECT current_setting('server_version') AS server");
    const report = [
      `# BulkRepository throughput — ${new Date().toISOString()}`,
      '',
      `Machine: ${machine}; PostgreSQL ${server} on loopback. Table \`bench_reading\`: bigint identity key,`,
      'device_id text, ts timestamptz, four double precision columns, firmware text, unique (device_id, ts).',
      `Each figure is the median of ${ROUNDS} runs on a freshly truncated table (for "existing keys", refilled`,
      `with the batch's keys by COPY first, outside the timing). The naive baselines write at most`,
      `${fmt(NAIVE_ROWS)} rows per run; their rate is compared with the others as rows/s.`,
      '',
      ...table,
      '',
    ].join('\n');
    writeReport('bulk-repository.md', report);
  } finally {
    await client.end();
    await dataSource.destroy();
    await database.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
