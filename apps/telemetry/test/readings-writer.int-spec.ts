import { createTestDatabase, TestDatabase } from '@org/testing';
import { DataSource } from 'typeorm';
import { telemetryDataSourceOptions } from '../src/database/telemetry.data-source';
import type { ReadingDto } from '../src/readings/reading.dto';
import { TelemetryReadingsWriter } from '../src/readings/telemetry-readings.writer';

describe('TelemetryReadingsWriter on the migrated schema (real PostgreSQL)', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let writer: TelemetryReadingsWriter;

  beforeAll(async () => {
    database = await createTestDatabase('telemetry_writer');
    dataSource = await new DataSource(telemetryDataSourceOptions(database.url)).initialize();
    writer = new TelemetryReadingsWriter(dataSource);
  });

  beforeEach(() => dataSource.query('TRUNCATE telemetry_readings, device_latest, device_minutes'));

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const reading = (
    deviceId: string,
    timestamp: string,
    temperature: number,
    extra: Partial<ReadingDto> = {},
  ) =>
    ({
      deviceId,
      timestamp: new Date(timestamp),
      temperature,
      humidity: 40,
      power: 5,
      battery: 80,
      firmware: '2.5.0',
      ...extra,
    }) as ReadingDto;

  const rows = (sql: string) => dataSource.query(sql);

  it("keeps the newest reading as the device's latest state when an older one arrives later", async () => {
    await writer.write([reading('sensor-1', '2026-01-01T00:10:00Z', 21)]);

    const late = await writer.write([reading('sensor-1', '2000-01-01T00:00:00Z', -5)]);

    expect(late).toEqual({
      readingsWritten: 1,
      readingsInserted: 1,
      devicesUpdated: 0,
      duplicatesInBatch: 0,
    });
    expect(await rows('SELECT recorded_at, temperature FROM device_latest')).toEqual([
      { recorded_at: new Date('2026-01-01T00:10:00Z'), temperature: 21 },
    ]);
    expect(await rows('SELECT count(*)::int AS n FROM telemetry_readings')).toEqual([{ n: 2 }]);
  });

  it('stores one row per device and time (the last of the batch wins) and each device at its newest time, whatever the order', async () => {
    const result = await writer.write([
      reading('a', '2026-01-01T00:02:00Z', 2, { rssi: -70 }),
      reading('b', '2026-01-01T00:01:00Z', 10),
      reading('a', '2026-01-01T00:01:00Z', 1), // older, later in the batch
      reading('a', '2026-01-01T00:02:00Z', 3), // the same device and time again: replaces the first
    ]);

    expect(result).toEqual({
      readingsWritten: 3,
      readingsInserted: 3,
      devicesUpdated: 2,
      duplicatesInBatch: 1,
    });
    expect(
      await rows('SELECT device_id, recorded_at, temperature, rssi FROM telemetry_readings ORDER BY 1, 2'),
    ).toEqual([
      { device_id: 'a', recorded_at: new Date('2026-01-01T00:01:00Z'), temperature: 1, rssi: null },
      { device_id: 'a', recorded_at: new Date('2026-01-01T00:02:00Z'), temperature: 3, rssi: null },
      { device_id: 'b', recorded_at: new Date('2026-01-01T00:01:00Z'), temperature: 10, rssi: null },
    ]);
    expect(await rows('SELECT device_id, recorded_at, temperature FROM device_latest ORDER BY 1')).toEqual([
      { device_id: 'a', recorded_at: new Date('2026-01-01T00:02:00Z'), temperature: 3 },
      { device_id: 'b', recorded_at: new Date('2026-01-01T00:01:00Z'), temperature: 10 },
    ]);
  });

  it('counts every message per device and minute of measurement, resends included, and adds up across batches', async () => {
    await writer.write([
      reading('a', '2026-12-06T10:00:05Z', 0, { power: 10 }),
      reading('a', '2026-12-06T10:00:59.999Z', 0, { power: 20 }),
      reading('a', '2026-12-06T10:00:05Z', 0, { power: 10 }), // a resend: a message too
      reading('a', '2026-12-06T10:01:00Z', 0, { power: 5 }),
      reading('b', '2026-12-06T10:00:30Z', 0, { power: 7 }),
    ]);
    await writer.write([reading('b', '2026-12-06T10:00:31Z', 0, { power: 1.5 })]);

    expect(
      await rows('SELECT device_id, minute, messages, power_sum FROM device_minutes ORDER BY 1, 2'),
    ).toEqual([
      { device_id: 'a', minute: new Date('2026-12-06T10:00:00Z'), messages: 3, power_sum: 40 },
      { device_id: 'a', minute: new Date('2026-12-06T10:01:00Z'), messages: 1, power_sum: 5 },
      { device_id: 'b', minute: new Date('2026-12-06T10:00:00Z'), messages: 2, power_sum: 8.5 },
    ]);
  });

  it('writes a redelivered batch over itself: no new reading, no device moved, only the minutes count again', async () => {
    const batch = [reading('a', '2026-01-01T00:00:00Z', 1), reading('b', '2026-01-01T00:00:00Z', 2)];
    await writer.write(batch);

    const again = await writer.write(batch);

    expect(again).toEqual({
      readingsWritten: 2,
      readingsInserted: 0,
      devicesUpdated: 0,
      duplicatesInBatch: 0,
    });
    expect(await rows('SELECT sum(messages)::int AS n FROM device_minutes')).toEqual([{ n: 4 }]);
  });

  it("writes in the caller's transaction: rolled back, nothing of the batch stays", async () => {
    await expect(
      dataSource.transaction(async (manager) => {
        await writer.write([reading('a', '2026-01-01T00:00:00Z', 1)], manager);
        throw new Error('the listener failed after the write');
      }),
    ).rejects.toThrow('the listener failed after the write');

    expect(
      await rows(
        `SELECT (SELECT count(*) FROM telemetry_readings)::int AS readings, (SELECT count(*) FROM device_latest)::int AS devices,
                (SELECT count(*) FROM device_minutes)::int AS minutes`,
      ),
    ).toEqual([{ readings: 0, devices: 0, minutes: 0 }]);
  });

  it('answers an empty batch without a statement', async () => {
    const query = jest.spyOn(dataSource, 'query');

    expect(await writer.write([])).toEqual({
      readingsWritten: 0,
      readingsInserted: 0,
      devicesUpdated: 0,
      duplicatesInBatch: 0,
    });
    expect(query).not.toHaveBeenCalled();
    query.mockRestore();
  });
});
