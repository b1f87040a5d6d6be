// Benchmark for issue 5: BulkRepository strategies against TypeORM's save() and per-row insert(), with
// raw COPY (pg-copy-streams, no TypeORM) as the ceiling, on the same table in the same run. Hand-written
// upserts on the raw pg client show what INSERT ... ON CONFLICT itself costs the server.
//
//   pnpm bench:bulk
//   ROUNDS=5 NAIVE_ROWS=2000 ...                      # more rounds, fewer rows for the naive baselines
//
// Every figure is rows/s, the median of ROUNDS runs, each on a freshly truncated table; ratios are
// against COPY, save() and per-row insert() of the same batch size.
import 'reflect-metadata';
import { BulkRepository, BulkStrategyChoice, BulkWriteResult } from '@org/kafka-batch/persistence';
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

const COLUMNS = 'device_id, ts, temperature, humidity, power, battery, firmware';
const UPSERT =
  ' ON CONFLICT (device_id, ts) DO UPDATE SET temperature = EXCLUDED.temperature, humidity = EXCLUDED.humidity,' +
  ' power = EXCLUDED.power, battery = EXCLUDED.battery, firmware = EXCLUDED.firmware';
const escapeCopy = (text: string) =>
  text.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c]!);

function* copyText(rows: Reading[]): Generator<string> {
  for (let i = 0; i < rows.length; i += 1_000) {
    let text = '';
    for (const r of rows.slice(i, i + 1_000)) {
      text += `${escapeCopy(r.deviceId)}\t${r.ts.toISOString()}\t${r.temperature}\t${r.humidity}\t${r.power}\t${r.battery}\t${escapeCopy(r.firmware)}\n`;
    }
    yield text;
  }
}

/** The ceiling: one COPY on a raw pg client, rows serialized inline. */
async function rawCopy(client: Client, rows: Reading[]): Promise<void> {
  await client.query('BEGIN');
  await pipeline(
    Readable.from(copyText(rows)),
    client.query(copyFrom(`COPY bench_reading (${COLUMNS}) FROM STDIN`)),
  );
  await client.query('COMMIT');
}

const quoted = (text: string) => `"${text.replace(/["\\]/g, '\\$&')}"`;
const literal = (items: readonly (string | number)[]) => `{${items.join(',')}}`;

/**
 * Upper bound for an upsert: hand-written SQL on a raw pg client, one array literal per column built
 * inline, no mapping or dedupe. What the server itself needs for INSERT ... ON CONFLICT.
 */
async function rawUnnestUpsert(client: Client, rows: Reading[]): Promise<void> {
  await client.query('BEGIN');
  await client.query(
    `INSERT INTO bench_reading (${COLUMNS}) SELECT * FROM UNNEST($1::text[], $2::timestamptz[], ` +
      `$3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::text[])${UPSERT}`,
    [
      literal(rows.map((r) => quoted(r.deviceId))),
      literal(rows.map((r) => r.ts.toISOString())),
      literal(rows.map((r) => r.temperature)),
      literal(rows.map((r) => r.humidity)),
      literal(rows.map((r) => r.power)),
      literal(rows.map((r) => r.battery)),
      literal(rows.map((r) => quoted(r.firmware))),
    ],
  );
  await client.query('COMMIT');
}

/** The same upper bound through COPY into a temporary table and one INSERT ... SELECT ... ON CONFLICT. */
async function rawStagedUpsert(client: Client, rows: Reading[]): Promise<void> {
  await client.query('BEGIN');
  await client.query(
    `CREATE TEMP TABLE bench_staging ON COMMIT DROP AS SELECT ${COLUMNS} FROM bench_reading WITH NO DATA`,
  );
  await pipeline(Readable.from(copyText(rows)), client.query(copyFrom(`COPY bench_staging FROM STDIN`)));
  await client.query(`INSERT INTO bench_reading (${COLUMNS}) SELECT * FROM bench_staging${UPSERT}`);
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
    const strategies: BulkStrategyChoice[] = ['values', 'unnest', 'copy', 'auto'];
    /** The strategy each method's latest run used: what `auto` chose for that batch size. */
    const used = new Map<Method, string>();
    const bulkMethod = (
      label: string,
      existing: boolean,
      write: (rows: Reading[]) => Promise<BulkWriteResult>,
    ): Method => {
      const method: Method = {
        label,
        existing,
        run: async (rows) => used.set(method, (await write(rows)).strategy),
      };
      return method;
    };
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
      ...strategies.map((strategy) =>
        bulkMethod(`bulk \`insertMany\` — ${strategy}`, false, (rows) => bulk.insertMany(rows, { strategy })),
      ),
      ...[false, true].flatMap((existing) =>
        strategies.map((strategy) =>
          bulkMethod(
            `bulk \`upsertMany\`, ${existing ? 'existing' : 'new'} keys — ${strategy}`,
            existing,
            (rows) => bulk.upsertMany(rows, { ...KEY, strategy }),
          ),
        ),
      ),
      ...[false, true].flatMap((existing) => {
        const keys = existing ? 'existing keys' : 'new keys';
        return [
          {
            label: `raw upsert (pg, hand-written UNNEST), ${keys} — upper bound`,
            existing,
            run: (rows: Reading[]) => rawUnnestUpsert(client, rows),
          },
          {
            label: `raw upsert (pg, hand-written COPY + temp table), ${keys} — upper bound`,
            existing,
            run: (rows: Reading[]) => rawStagedUpsert(client, rows),
          },
        ];
      }),
    ];

    const runOnce = async (method: Method, rows: Reading[]): Promise<number> => {
      await dataSource.query('TRUNCATE bench_reading');
      if (method.existing) await rawCopy(client, rows);
      await dataSource.query('VACUUM ANALYZE bench_reading');
      const started = performance.now();
      await method.run(rows);
      return rows.length / ((performance.now() - started) / 1_000);
    };
    // Rounds go round-robin over the methods, so load from elsewhere on the machine, which comes and
    // goes over seconds, spreads over every method instead of skewing the ones measured during it.
    const measureAll = async (size: number) => {
      const batches = methods.map((method) => batch(Math.min(size, method.cap ?? size)));
      const rates: number[][] = methods.map(() => []);
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, method] of methods.entries()) rates[i].push(await runOnce(method, batches[i]));
      }
      return methods.map((method, i) => ({ method, rows: batches[i].length, perSecond: median(rates[i]) }));
    };

    console.log('warming up…');
    await measureAll(500);

    const table = [
      `| batch | method | rows written | rows/s (median of ${ROUNDS}) | × COPY ceiling | × save() | × insert() per row |`,
      '|---:|---|---:|---:|---:|---:|---:|',
    ];
    for (const size of SIZES) {
      const results = await measureAll(size);
      for (const { method, perSecond } of results) {
        console.log(`${fmt(size)} ${method.label}: ${fmt(perSecond)} rows/s`);
      }
      const [ceiling, save, perRow] = results;
      for (const { method, rows, perSecond } of results) {
        const label = method.label.endsWith('auto')
          ? `${method.label} (→ ${used.get(method)})`
          : method.label;
        table.push(
          `| ${fmt(size)} | ${label} | ${fmt(rows)} | ${fmt(perSecond)} | ` +
            `${(perSecond / ceiling.perSecond).toFixed(2)} | ${(perSecond / save.perSecond).toFixed(1)} | ` +
            `${(perSecond / perRow.perSecond).toFixed(1)} |`,
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
      `with the batch's keys by COPY first, outside the timing); rounds alternate between the methods. The`,
      `naive baselines write at most ${fmt(NAIVE_ROWS)} rows per run; their rate is compared as rows/s. "auto"`,
      'is the default choice, with the strategy it picked. "raw upsert" rows are hand-written SQL on a raw pg',
      'client (no mapping, no dedupe, no counts): the upper bound of an upsert on this server.',
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
