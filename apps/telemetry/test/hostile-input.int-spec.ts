import { DLT_HEADERS } from '@org/kafka-batch';
import {
  createTestDatabase,
  eventually,
  KafkaAdmin,
  produceRecords,
  readTopic,
  TestDatabase,
  TestRecord,
  uniqueName,
  waitForLagZero,
} from '@org/testing';
import { Client } from 'pg';
import { killLeftoverTelemetry, startTelemetry, TelemetryProcess } from './telemetry-app.process';

const PARTITIONS = 2;
const SHUTDOWN_TIMEOUT_MS = 5_000;
/** What the issue measured: valid readings of about 878 KB, padded with keys the DTO does not know. */
const VALUE_BYTES = 878 * 1024;

function reading(deviceId: string): Record<string, unknown> {
  return {
    deviceId,
    timestamp: new Date().toISOString(),
    temperature: 21.5,
    humidity: 40,
    power: 5,
    battery: 80,
    firmware: '2.5.0',
  };
}

/** A valid reading padded to VALUE_BYTES with `keys` extra keys. */
function padded(deviceId: string, keys: number): string {
  const value = reading(deviceId);
  const filler = Math.max(1, Math.floor(VALUE_BYTES / keys) - 12);
  for (let i = 0; i < keys; i++) value[`x${i}`] = 'f'.repeat(filler);
  return JSON.stringify(value);
}

function nestedExtra(deviceId: string, levels: number): string {
  const text = JSON.stringify(reading(deviceId));
  return `${text.slice(0, -1)},"extra":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}`;
}

interface ProbeWatch {
  slowest(): number;
  failures: string[];
  answered: number;
  stop(): Promise<void>;
}

/** Polls the liveness probe every 100 ms, the way a kubelet would, and times every answer. */
function watchLiveness(app: TelemetryProcess): ProbeWatch {
  let stopped = false;
  let slowest = 0;
  const watch: ProbeWatch = { slowest: () => slowest, failures: [], answered: 0, stop: async () => {} };
  const loop = (async () => {
    while (!stopped) {
      const started = performance.now();
      try {
        const response = await fetch(app.url('/health/live'), { signal: AbortSignal.timeout(10_000) });
        await response.text();
        if (response.status !== 200) watch.failures.push(`status ${response.status}`);
        watch.answered++;
      } catch (err) {
        watch.failures.push((err as Error).message);
      }
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  watch.stop = async () => {
    stopped = true;
    await loop;
  };
  return watch;
}

// Issue #18: readings padded with tens of thousands of keys once held the event loop for minutes.
describe('telemetry under hostile input (real broker and PostgreSQL)', () => {
  afterEach(killLeftoverTelemetry);
  const admin = new KafkaAdmin();
  let database: TestDatabase;
  let db: Client;

  beforeAll(async () => {
    database = await createTestDatabase('telemetry_hostile');
    db = new Client({ connectionString: database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db?.end();
    await database?.drop();
    admin.close();
  });

  it('answers every probe within a second and stops within its timeout while a batch of huge values is decoded, and loses nothing', async () => {
    const topic = uniqueName('telemetry_hostile');
    const groupId = uniqueName('telemetry_hostile_writer');
    const env = {
      DATABASE_URL: database.url,
      TELEMETRY_TOPIC: topic,
      TELEMETRY_GROUP_ID: groupId,
      TELEMETRY_PARTITIONS: String(PARTITIONS),
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
    };
    const first = startTelemetry(env);
    await first.listening();

    // Stored: under the default limits, but each one with 9,000 keys the DTO does not declare.
    const stored: TestRecord[] = Array.from({ length: 24 }, (_, i) => ({
      key: `wide-${i}`,
      value: padded(`wide-${i}`, 9_000),
    }));
    // Dead-lettered by the limits: 70,000 keys each (about 6 s apiece before), and a reading whose
    // extra field nests 5,000 levels (a RangeError of the decoder before).
    const rejected: TestRecord[] = [
      ...Array.from({ length: 12 }, (_, i) => ({ key: `keys-${i}`, value: padded(`keys-${i}`, 70_000) })),
      { key: 'deep', value: nestedExtra('deep', 5_000) },
    ];
    const records = [...stored, ...rejected].sort((a, b) => String(a.key).localeCompare(String(b.key)));

    const probes = watchLiveness(first);
    await produceRecords(topic, records);
    // SIGTERM as soon as the first of it is done, while the rest is still being decoded.
    await eventually(
      async () =>
        [...(await admin.endOffsets(`${topic}.DLT`).catch(() => new Map<number, number>())).values()].some(
          (end) => end > 0,
        ) || (await db.query('SELECT 1 FROM telemetry_readings LIMIT 1')).rowCount === 1,
      'the first reading stored or dead-lettered',
      60_000,
    );
    const signalled = performance.now();
    first.child.kill('SIGTERM');
    await probes.stop();
    expect(await first.exited).toEqual({ code: null, signal: 'SIGTERM' });
    const shutdownMs = performance.now() - signalled;
    // The signal came in the middle of the work: the first instance left some of it to the second.
    expect((await admin.lag(groupId, topic)).total).toBeGreaterThan(0);

    expect(probes.failures).toEqual([]);
    expect(probes.answered).toBeGreaterThan(0);
    expect(probes.slowest()).toBeLessThan(1_000);
    expect(shutdownMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + 3_000);

    // A second instance finishes what the first left: every valid reading stored, every rejected
    // one dead-lettered with the limit it broke.
    const second = startTelemetry(env);
    await second.listening();
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 120_000 });
    const devices = await db.query<{ device_id: string }>(
      'SELECT DISTINCT device_id FROM telemetry_readings',
    );
    expect(devices.rows.map((r) => r.device_id).sort()).toEqual(stored.map((r) => r.key).sort());

    const expected = new Map([
      ...Array.from({ length: 12 }, (_, i): [string, string] => [
        `keys-${i}`,
        'value has more than valueLimits.maxKeys (10000) object keys and array elements',
      ]),
      ['deep', 'value nests deeper than valueLimits.maxDepth (64 levels)'],
    ]);
    // Read until every letter is in, or fail showing what is: the letters are about 700 KB each (a
    // read can time out on a loaded machine), and a letter the first instance left is published by
    // the second, which restores the offsets stored in the database, not the group's.
    let reasons = new Map<string | undefined, string>();
    await eventually(
      async () => {
        const dltTotal = [...(await admin.endOffsets(`${topic}.DLT`)).values()].reduce((a, b) => a + b, 0);
        const letters = await readTopic(`${topic}.DLT`, PARTITIONS, dltTotal);
        reasons = new Map(letters.map((l) => [l.key?.toString(), l.headers[DLT_HEADERS.exceptionMessage]]));
        return [...expected.keys()].every((key) => reasons.has(key));
      },
      'every rejected reading in the dead-letter topic',
      60_000,
    ).catch(() => undefined);
    expect(reasons).toEqual(expected);
    second.child.kill('SIGTERM');
    await second.exited;
  });
});
