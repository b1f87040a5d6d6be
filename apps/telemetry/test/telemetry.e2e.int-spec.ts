import { DLT_HEADERS } from '@org/kafka-batch';
import {
  createTestDatabase,
  eventually,
  KafkaAdmin,
  kafkaBootstrap,
  readTopic,
  TestDatabase,
  uniqueName,
  waitForLagZero,
} from '@org/testing';
import { Client } from 'pg';
import type { SimulatedReading } from '../src/simulator/reading.generator';
import { runSimulation } from '../src/simulator/simulation.runner';
import type { SimulatorOptions } from '../src/simulator/simulator.options';
import { startTelemetry, TelemetryProcess } from './telemetry-app.process';

const PARTITIONS = 12;
const RECORDS = 50_000;

// The acceptance run: the service on the real broker and database, 50,000 simulated
// readings with 1% invalid and some duplicates, a SIGTERM in the middle of consumption and a
// second instance that finishes the work.
describe('telemetry end to end (real broker and PostgreSQL)', () => {
  const admin = new KafkaAdmin();
  const topic = uniqueName('telemetry_e2e');
  const groupId = uniqueName('telemetry_e2e_writer');
  let database: TestDatabase;
  let db: Client;
  const apps: TelemetryProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('telemetry_e2e');
    db = new Client({ connectionString: database.url });
    await db.connect();
  });
  afterAll(async () => {
    for (const app of apps) app.child.kill('SIGKILL');
    await db?.end();
    await database?.drop();
    admin.close();
  });

  const start = async () => {
    const app = startTelemetry({
      DATABASE_URL: database.url,
      TELEMETRY_TOPIC: topic,
      TELEMETRY_GROUP_ID: groupId,
      TELEMETRY_PARTITIONS: String(PARTITIONS),
    });
    apps.push(app);
    await app.listening();
    return app;
  };
  const rowCount = async (table: string) =>
    Number((await db.query(`SELECT count(*) FROM ${table}`)).rows[0].count);

  it('stores each valid reading once, dead-letters exactly the invalid ones, and loses nothing across a SIGTERM', async () => {
    const started = Date.now();
    const first = await start();

    // What the simulator sent, as the test sees it (not as the simulator counts it).
    const validKeys = new Set<string>();
    const latest = new Map<string, string>();
    /** Messages per device and minute, resends included: what device_minutes must count, once each. */
    const perMinute = new Map<string, number>();
    const invalid: SimulatedReading[] = [];
    const simulation = runSimulation(simulatorOptions(), {
      onRecord: (reading) => {
        if (reading.kind === 'invalid') return void invalid.push(reading);
        const { deviceId, timestamp } = JSON.parse(reading.value) as { deviceId: string; timestamp: string };
        validKeys.add(`${deviceId} ${timestamp}`);
        const minute = `${deviceId} ${new Date(Math.floor(Date.parse(timestamp) / 60_000) * 60_000).toISOString()}`;
        perMinute.set(minute, (perMinute.get(minute) ?? 0) + 1);
        if ((latest.get(deviceId) ?? '') < timestamp) latest.set(deviceId, timestamp);
      },
    });

    // Stop the first instance while it is busy: part of the topic stored, part still to do.
    await eventually(async () => (await rowCount('telemetry_readings')) >= 10_000, '10,000 stored readings');
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(first.output()).toContain('[BatchListener telemetry-readings] stopped');
    expect(first.output()).not.toMatch(/ERROR/);
    const rowsAtStop = await rowCount('telemetry_readings');
    expect((await admin.lag(groupId, topic)).total).toBeGreaterThan(0); // work left for the second

    const summary = await simulation;
    expect(summary).toMatchObject({ sent: RECORDS, delivered: RECORDS, errors: 0 });
    expect(summary.kinds.duplicate).toBeGreaterThan(100);
    expect(invalid.length).toBeGreaterThan(RECORDS * 0.007);
    expect(invalid.length).toBeLessThan(RECORDS * 0.013);
    expect(summary.kinds.valid).toBe(validKeys.size);

    // Whatever the first instance committed is in the database: the rest comes to the second.
    const second = await start();
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 60_000 });

    expect(await rowCount('telemetry_readings')).toBe(validKeys.size);
    expect(rowsAtStop).toBeLessThan(validKeys.size);
    const stored = await db.query<{ key: string }>(
      `SELECT device_id || ' ' || to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS key FROM telemetry_readings`,
    );
    expect(stored.rows.filter((r) => !validKeys.has(r.key))).toEqual([]);

    const devices = await db.query<{ device_id: string; recorded_at: Date }>(
      'SELECT device_id, recorded_at FROM device_latest',
    );
    expect(devices.rows).toHaveLength(latest.size);
    expect(devices.rows.filter((r) => latest.get(r.device_id) !== r.recorded_at.toISOString())).toEqual([]);

    // The per-minute counts are increments, kept in the transaction that stores the offsets: each
    // message counted once, across the SIGTERM and the second instance.
    const minutes = await db.query<{ key: string; messages: number }>(
      `SELECT device_id || ' ' || to_char(minute AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS key, messages FROM device_minutes`,
    );
    expect(new Map(minutes.rows.map((r) => [r.key, r.messages]))).toEqual(perMinute);
    expect(summary.kinds.valid + summary.kinds.duplicate).toBe(
      [...perMinute.values()].reduce((a, b) => a + b, 0),
    );
    const [someDevice] = latest.keys();
    const served = (await (await fetch(second.url(`/devices/${someDevice}/minutes?last=5`))).json()) as {
      messages: number;
    }[];
    expect(served.length).toBeGreaterThan(0);
    expect(served[0].messages).toBeGreaterThan(0);

    // The dead-letter topic holds exactly the invalid readings. Dead letters are at-least-once
    // like everything else (one published but not yet committed when an instance stops is
    // published again by the next), so records are compared by their source partition and offset.
    const dltEnd = await admin.endOffsets(`${topic}.DLT`);
    const dltTotal = [...dltEnd.values()].reduce((a, b) => a + b, 0);
    expect(dltTotal).toBeGreaterThanOrEqual(invalid.length);
    const letters = await readTopic(`${topic}.DLT`, PARTITIONS, dltTotal);
    expect(letters).toHaveLength(dltTotal);
    const bySource = new Map(
      letters.map((d) => [
        `${d.headers[DLT_HEADERS.originalPartition]}@${d.headers[DLT_HEADERS.originalOffset]}`,
        d,
      ]),
    );
    const dead = [...bySource.values()];
    expect(dead.map((d) => d.value!.toString()).sort()).toEqual(invalid.map((r) => r.value).sort());
    for (const record of letters) {
      expect(record.headers[DLT_HEADERS.originalTopic]).toBe(topic);
      expect(record.headers[DLT_HEADERS.exceptionClass]).toMatch(
        /^(RecordValidationError|DeserializationError)$/,
      );
      expect(record.headers[DLT_HEADERS.exceptionMessage]).toMatch(/^(invalid value: |cannot deserialize)/);
    }
    const temperatureDefect = invalid.find((r) => r.defect === 'temperature out of range')!;
    expect(
      dead.find((d) => d.value!.toString() === temperatureDefect.value)!.headers[
        DLT_HEADERS.exceptionMessage
      ],
    ).toContain('temperature must not be greater than 125');

    for (const path of ['/health/live', '/health/ready']) {
      expect((await fetch(second.url(path))).status).toBe(200);
    }
    const metrics = await (await fetch(second.url('/metrics'))).text();
    expect(metrics).toMatch(/^telemetry_readings_stored_total [1-9]\d*$/m);

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect((await admin.lag(groupId, topic)).total).toBe(0);
    expect(Date.now() - started).toBeLessThan(110_000);
  });

  function simulatorOptions(): SimulatorOptions {
    return {
      bootstrap: kafkaBootstrap(),
      rdkafka: {},
      topic,
      partitions: PARTITIONS,
      devices: 5_000,
      mode: 'steady',
      rate: 10_000,
      durationSeconds: undefined,
      count: RECORDS,
      invalidRatio: 0.01,
      duplicateRatio: 0.01,
      burstFactor: 1,
      burstSeconds: 1,
      burstEverySeconds: 1,
      seed: 7,
      traceRatio: 0,
      progress: 'off',
      json: false,
    };
  }
});
