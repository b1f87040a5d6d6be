import type { DeviceLatest } from './device-latest.entity';
import type { ReadingDto } from './reading.dto';
import type { TelemetryReading } from './telemetry-reading.entity';

export function toReadingRow(reading: ReadingDto): TelemetryReading {
  return {
    deviceId: reading.deviceId,
    recordedAt: reading.timestamp,
    temperature: reading.temperature,
    humidity: reading.humidity,
    power: reading.power,
    battery: reading.battery,
    firmware: reading.firmware,
    rssi: reading.rssi ?? null,
  };
}

/**
 * The newest reading of each device in the batch, for writers that cannot collapse a batch
 * themselves (TypeORM's upsert: the end-to-end benchmark's naive consumers; the app's own statement
 * collapses it in SQL). Chosen by measurement time, not by position: a device that resends an old
 * reading must not move its latest state backwards.
 */
export function latestPerDevice(readings: readonly ReadingDto[], now = new Date()): DeviceLatest[] {
  const newest = new Map<string, ReadingDto>();
  for (const reading of readings) {
    const seen = newest.get(reading.deviceId);
    if (!seen || seen.timestamp.getTime() <= reading.timestamp.getTime())
      newest.set(reading.deviceId, reading);
  }
  return [...newest.values()].map((reading) => ({ ...toReadingRow(reading), updatedAt: now }));
}
