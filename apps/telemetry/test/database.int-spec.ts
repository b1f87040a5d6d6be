import { databaseUrl, KafkaAdmin, kafkaBootstrap, uniqueName, waitForLagZero } from '@org/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ensureLocalDatabase, resolveDatabase } from '../src/database/database.resolver';
import { TELEMETRY_MIGRATIONS } from '../src/database/telemetry.data-source';
import { runSimulation } from '../src/simulator/simulation.runner';
import { killLeftoverTelemetry, startTelemetry } from './telemetry-app.process';

// Nothing listens on port 1: "no local server".
const NO_SERVER = 'postgres://postgres@127.0.0.1:1/telemetry';

async function count(url: string, sql: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query(sql)).rows[0].count);
  } finally {
    await client.end();
  }
}

describe('database resolution', () => {
  afterEach(killLeftoverTelemetry);
  // PGlite loads its WebAssembly with a dynamic import, which Jest's module sandbox refuses;
  // the service runs as a process here anyway, as it would for the demo.
  it('falls back to an embedded PGlite that the service migrates, writes through the wire protocol and keeps on disk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'telemetry-pglite-'));
    const topic = uniqueName('telemetry_embedded');
    const groupId = uniqueName('telemetry_embedded_writer');
    const env = {
      DATABASE_URL: '',
      LOCAL_DATABASE_URL: NO_SERVER,
      EMBEDDED_DATABASE_DIR: dir,
      TELEMETRY_TOPIC: topic,
      TELEMETRY_GROUP_ID: groupId,
      TELEMETRY_PARTITIONS: '3',
    };
    const admin = new KafkaAdmin();
    try {
      const first = startTelemetry(env);
      await first.listening(60_000);
      const url = /using embedded PGlite at (\S+), data in/.exec(first.output())![1];
      const summary = await runSimulation({
        bootstrap: kafkaBootstrap(),
        rdkafka: {},
        topic,
        partitions: 3,
        devices: 200,
        mode: 'backlog',
        rate: 1,
        durationSeconds: undefined,
        count: 2_000,
        invalidRatio: 0.01,
        duplicateRatio: 0,
        burstFactor: 1,
        burstSeconds: 1,
        burstEverySeconds: 1,
        seed: 11,
        traceRatio: 0,
        progress: 'off',
        json: false,
      });
      await waitForLagZero(admin, groupId, topic, { timeoutMs: 60_000 });
      expect(await count(url, 'SELECT count(*) FROM telemetry_readings')).toBe(summary.kinds.valid);
      expect(await count(url, 'SELECT count(*) FROM device_latest')).toBe(200);
      expect((await fetch(first.url('/health/ready'))).status).toBe(200);
      first.child.kill('SIGTERM');
      expect(await first.exited).toEqual({ code: null, signal: 'SIGTERM' });

      const second = startTelemetry(env);
      await second.listening(60_000);
      const again = /using embedded PGlite at (\S+), data in/.exec(second.output())![1];
      expect(await count(again, 'SELECT count(*) FROM telemetry_readings')).toBe(summary.kinds.valid);
      // Each migration ran once, on the first start only.
      expect(await count(again, 'SELECT count(*) FROM migrations')).toBe(TELEMETRY_MIGRATIONS.length);
      second.child.kill('SIGTERM');
      expect(await second.exited).toEqual({ code: null, signal: 'SIGTERM' });
    } finally {
      admin.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is refused with EMBEDDED_DATABASE=never, naming what was tried', async () => {
    await expect(
      resolveDatabase({
        databaseUrl: undefined,
        localDatabaseUrl: NO_SERVER,
        embeddedDatabase: 'never',
        embeddedDatabaseDir: '/nonexistent',
      }),
    ).rejects.toThrow(
      'no database: DATABASE_URL is not set, nothing answers at postgres://postgres@127.0.0.1:1/telemetry',
    );
  });

  it('uses DATABASE_URL as it is, without looking anywhere else', async () => {
    const database = await resolveDatabase({
      databaseUrl: 'postgres://app:secret@db.example:5432/telemetry',
      localDatabaseUrl: NO_SERVER,
      embeddedDatabase: 'auto',
      embeddedDatabaseDir: '/nonexistent',
    });
    expect(database).toMatchObject({
      source: 'DATABASE_URL',
      url: 'postgres://app:secret@db.example:5432/telemetry',
      description: 'DATABASE_URL postgres://app:***@db.example:5432/telemetry',
    });
  });

  it('creates the database on the local server when the server answers without it', async () => {
    const name = uniqueName('telemetry_local');
    const url = new URL(databaseUrl());
    url.pathname = `/${name}`;
    try {
      expect(await ensureLocalDatabase(url.toString())).toBe('created');
      expect(await ensureLocalDatabase(url.toString())).toBe('exists');
    } finally {
      const admin = new Client({ connectionString: databaseUrl() });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.end();
    }
  });
});
