// The telemetry app's write path, A/B: the working tree's TelemetryReadingsWriter (the app's code and
// the library it is built with) against the same of a pinned build, writing the same kind of
// batches in the same run, each into a database of its own (created by its own migrations). What it
// isolates from `pnpm bench:app` is the part of a reading's CPU spent writing it, on both sides of
// the connection.
//
//   pnpm bench:write                              # 30 rounds of 20 batches of 500 readings, against c7fda6d
//   BASELINE_REF=HEAD~3 ROUNDS=10 pnpm bench:write
//
// Each build gets its own DataSource with one connection, so the server's CPU is read from that
// connection's backend process (/proc/<pid>/stat). The builds alternate, and which goes first
// alternates from round to round; the first two rounds warm up and are not counted.
import 'reflect-metadata';
import { createTestDatabase, TestDatabase } from '@org/testing';
import { integerVar } from '@org/telemetry/config/env.parsers';
import { join } from 'node:path';
import type { DataSource, EntityManager } from 'typeorm';
import { appDrainConfigFromEnv } from './app-drain/app-drain.config';
import { AppBuild, baselineBuild, candidateBuild } from './app-drain/app.build';
import { readUsage } from './e2e/process.usage';
import { machineDescription, writeReport } from './report';

const ROUNDS = integerVar(process.env, 'ROUNDS', 30, 1, 1000);
const BATCHES = integerVar(process.env, 'BATCHES', 20, 1, 1000);
const BATCH = 500;
const WARM_UP_ROUNDS = 2;
/** The commit before binary arrays: the write path as it was. */
const DEFAULT_BASELINE = 'c7fda6d';

interface Writer {
  write(batch: readonly object[], transaction: EntityManager): Promise<unknown>;
}

interface Side {
  build: AppBuild;
  dataSource: DataSource;
  writer: Writer;
  backendPid: number;
  clientMs: number;
  serverMs: number;
  wallMs: number;
  readings: number;
}

/** CPU time of a process (every thread, user + system) so far, in ms. */
const processCpuMs = (pid: number): number => readUsage(pid)!.cpuSeconds * 1000;

/** The build's own app and library, loaded from its folder, on a DataSource of one connection. */
async function open(build: AppBuild, url: string): Promise<Side> {
  const dist = join(build.root, 'apps/telemetry/dist');
  /* eslint-disable @typescript-eslint/no-require-imports -- each build's compiled modules, by path */
  const { telemetryDataSourceOptions } = require(join(dist, 'database/telemetry.data-source'));
  const { TelemetryReadingsWriter } = require(join(dist, 'readings/telemetry-readings.writer'));
  const { TelemetryReading } = require(join(dist, 'readings/telemetry-reading.entity'));
  const { DeviceLatest } = require(join(dist, 'readings/device-latest.entity'));
  const { BulkRepository } = require(join(build.root, 'packages/kafka-batch/dist/persistence'));
  const { DataSource: BuildDataSource } = require(require.resolve('typeorm', { paths: [dist] }));
  /* eslint-enable @typescript-eslint/no-require-imports */
  const options = telemetryDataSourceOptions(url);
  const dataSource: DataSource = await new BuildDataSource({ ...options, extra: { max: 1 } }).initialize();
  const [{ pid }] = await dataSource.query('SELECT pg_backend_pid() AS pid');
  // Builds up to 94af054 write through two BulkRepositories; later ones take the DataSource alone.
  const writer = new TelemetryReadingsWriter(
    dataSource,
    new BulkRepository(dataSource, TelemetryReading),
    new BulkRepository(dataSource, DeviceLatest),
  );
  return { build, dataSource, writer, backendPid: pid, clientMs: 0, serverMs: 0, wallMs: 0, readings: 0 };
}

let sequence = 0;
/** Readings as the validator hands them over: distinct keys, devices cycling over the simulator's fleet. */
function readings(count: number): object[] {
  return Array.from({ length: count }, () => {
    const i = sequence++;
    return {
      deviceId: `device-${String(i % 500_000).padStart(6, '0')}`,
      timestamp: new Date(Date.UTC(2026, 0, 1) + i * 1000),
      temperature: 20 + (i % 100) / 7,
      humidity: 40 + (i % 50) / 3,
      power: (i % 1000) / 3,
      battery: 99.5 - (i % 90) / 11,
      firmware: `2.${i % 9}.0`,
      rssi: i % 3 ? -60 - (i % 40) : undefined,
    };
  });
}

async function writeRound(side: Side, counted: boolean): Promise<void> {
  const batches = Array.from({ length: BATCHES }, () => readings(BATCH));
  const client = process.cpuUsage();
  const server = processCpuMs(side.backendPid);
  const started = performance.now();
  // In a transaction the writer joins, as the listener's exactly-once mode runs it.
  for (const batch of batches)
    await side.dataSource.transaction((transaction) => side.writer.write(batch, transaction));
  if (!counted) return;
  const used = process.cpuUsage(client);
  side.wallMs += performance.now() - started;
  side.clientMs += (used.user + used.system) / 1000;
  side.serverMs += processCpuMs(side.backendPid) - server;
  side.readings += BATCHES * BATCH;
}

const perReading = (ms: number, side: Side) => ((ms * 1000) / side.readings).toFixed(2);

async function main(): Promise<void> {
  const config = { ...appDrainConfigFromEnv(), baselineRef: process.env.BASELINE_REF || DEFAULT_BASELINE };
  const builds = [await baselineBuild(config), await candidateBuild()];
  const databases: TestDatabase[] = [];
  const sides: Side[] = [];
  try {
    // A database per build: each creates its schema with its own migrations.
    for (const build of builds) {
      const database = await createTestDatabase('bench_write');
      databases.push(database);
      sides.push(await open(build, database.url));
    }
    for (let round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
      const order = round % 2 === 0 ? sides : [...sides].reverse();
      for (const side of order) await writeRound(side, round >= WARM_UP_ROUNDS);
    }
    const [baseline, candidate] = sides;
    const ratio = (pick: (side: Side) => number) => (pick(candidate) / pick(baseline)).toFixed(2);
    const rows = [
      ['client CPU (the writer, the library, pg)', (s: Side) => s.clientMs],
      ['server CPU (the connection’s backend)', (s: Side) => s.serverMs],
      ['wall time', (s: Side) => s.wallMs],
    ] as const;
    writeReport(
      'write-path.md',
      [
        `# The telemetry write path, A/B — ${new Date().toISOString()}`,
        '',
        `Machine: ${machineDescription()}. ${ROUNDS} counted rounds (after ${WARM_UP_ROUNDS} of warm-up), each`,
        `writing ${BATCHES} batches of ${BATCH} readings with each build, alternating; one transaction per batch`,
        '(readings, device_latest, device_minutes), each build on one connection to a database of its own.',
        '',
        `- baseline: ${baseline.build.source}`,
        `- candidate: ${candidate.build.source}`,
        '',
        '| µs per reading | baseline | candidate | candidate ÷ baseline |',
        '|---|---:|---:|---:|',
        ...rows.map(
          ([label, pick]) =>
            `| ${label} | ${perReading(pick(baseline), baseline)} | ${perReading(pick(candidate), candidate)} | ${ratio(pick)} |`,
        ),
      ].join('\n'),
    );
  } finally {
    for (const side of sides) await side.dataSource.destroy();
    for (const database of databases) await database.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
