import { createTestDatabase, TestDatabase, uniqueName } from '@org/testing';
import { Client } from 'pg';
import { killLeftoverTelemetry, startTelemetry } from './telemetry-app.process';

describe('telemetry service process', () => {
  afterEach(killLeftoverTelemetry);
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('telemetry_boot');
  });
  afterAll(() => database?.drop());

  it('boots, creates its topic and schema by migration, answers its probes, and stops cleanly on SIGTERM', async () => {
    const topic = uniqueName('telemetry_boot');
    const app = startTelemetry({
      DATABASE_URL: database.url,
      TELEMETRY_TOPIC: topic,
      TELEMETRY_PARTITIONS: '3',
    });
    await app.listening();
    expect(app.output()).toMatch(/Kafka at \S+ answers/);
    expect(app.output()).toContain(`created topic ${topic} with 3 partitions`);
    expect(app.output()).toContain('using DATABASE_URL');

    const live = await fetch(app.url('/health/live'));
    // Ready once the listener has joined its group, which may come a moment after the server listens.
    let ready = await fetch(app.url('/health/ready'));
    for (const deadline = Date.now() + 30_000; ready.status !== 200 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      ready = await fetch(app.url('/health/ready'));
    }
    expect(live.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { database: { status: 'up' } } });
    const metrics = await fetch(app.url('/metrics'));
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain('telemetry_readings_stored_total 0');
    expect(text).toContain('process_cpu_user_seconds_total');

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>('SELECT name FROM migrations ORDER BY id');
      // The library's offsets table (exactly-once mode) comes with its own migration, first by its timestamp.
      expect(rows.map((r) => r.name)).toEqual([
        'KafkaBatchOffsets1765000000000',
        'CreateTelemetryTables1767225600000',
        'CreateDeviceMinutes1767312000000',
        'DeviceIdsInByteOrder1767398400000',
      ]);
      const tables = await client.query<{ tablename: string }>(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
      );
      expect(tables.rows.map((r) => r.tablename)).toEqual([
        'device_latest',
        'device_minutes',
        'kafka_batch_offsets',
        'migrations',
        'telemetry_readings',
      ]);
      const collations = await client.query<{ table_name: string; collation_name: string }>(
        `SELECT table_name, collation_name FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'device_id' ORDER BY table_name`,
      );
      expect(collations.rows).toEqual(
        ['device_latest', 'device_minutes', 'telemetry_readings'].map((table_name) => ({
          table_name,
          collation_name: 'C',
        })),
      );
      const options = await client.query<{ reloptions: string[] }>(
        "SELECT reloptions FROM pg_class WHERE relname = 'device_latest'",
      );
      expect(options.rows).toEqual([{ reloptions: ['fillfactor=50'] }]);
    } finally {
      await client.end();
    }

    app.child.kill('SIGTERM');
    // Nest closes the application, then re-raises the signal so the process ends as SIGTERM asked.
    expect(await app.exited).toEqual({ code: null, signal: 'SIGTERM' });
    expect(app.output()).toContain('[BatchListener telemetry-readings] stopped');
  });

  it('warns, and keeps the topic as it is, when the topic exists with another partition count', async () => {
    const topic = uniqueName('telemetry_boot_mismatch');
    const first = startTelemetry({
      DATABASE_URL: database.url,
      TELEMETRY_TOPIC: topic,
      TELEMETRY_PARTITIONS: '2',
    });
    await first.listening();
    first.child.kill('SIGTERM');
    await first.exited;

    const second = startTelemetry({
      DATABASE_URL: database.url,
      TELEMETRY_TOPIC: topic,
      TELEMETRY_PARTITIONS: '12',
    });
    await second.listening();
    expect(second.output()).toContain(
      `topic ${topic} has 2 partitions, TELEMETRY_PARTITIONS is 12: using the topic as it is`,
    );
    second.child.kill('SIGTERM');
    await second.exited;
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer in 0..65535 (got "eighty")'],
    [{ TELEMETRY_PARTITIONS: '0' }, 'TELEMETRY_PARTITIONS must be an integer in 1..10000 (got "0")'],
    [{ DATABASE_URL: 'mysql://db/telemetry' }, 'DATABASE_URL must start with postgres:// or postgresql://'],
    [{ KAFKA_BOOTSTRAP: 'broker' }, 'KAFKA_BOOTSTRAP must be a list host:port[,host:port…] (got "broker")'],
    [
      { TELEMETRY_TOPIC: 'bad topic' },
      'TELEMETRY_TOPIC must be 1..249 characters of A-Z a-z 0-9 . _ - (got "bad topic")',
    ],
    [
      { KAFKA_SECURITY_PROTOCOL: 'sasl_ssl' },
      'KAFKA_SASL_USERNAME must be set when KAFKA_SECURITY_PROTOCOL=sasl_ssl',
    ],
  ])('refuses to start with %j, naming the variable and what is allowed', async (env, message) => {
    const app = startTelemetry(env);
    const { code } = await app.exited;
    expect(code).toBe(1);
    expect(app.output()).toContain(message);
  });
});
