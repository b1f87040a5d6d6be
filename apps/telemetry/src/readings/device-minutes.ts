import { postgresArrayParameter } from '@org/kafka-batch/persistence';
import type { EntityManager } from 'typeorm';
import type { ReadingDto } from './reading.dto';

const MINUTE_MS = 60_000;

/** One device's minute: how many messages it sent, and their reported power. */
export interface DeviceMinute {
  deviceId: string;
  minute: Date;
  messages: number;
  powerSum: number;
}

/**
 * Per device and minute of measurement: the messages received (a device's resends included:
 * they show a chatty device) and the sum of their power. Kept by increments, which a batch
 * delivered twice would count twice: the listener runs in exactly-once mode.
 */
export function deviceMinutesOf(readings: readonly ReadingDto[]): DeviceMinute[] {
  const minutes = new Map<string, DeviceMinute>();
  for (const { deviceId, timestamp, power } of readings) {
    const minute = Math.floor(timestamp.getTime() / MINUTE_MS) * MINUTE_MS;
    const key = `${deviceId}\u0000${minute}`;
    const seen = minutes.get(key);
    if (seen) {
      seen.messages++;
      seen.powerSum += power;
    } else minutes.set(key, { deviceId, minute: new Date(minute), messages: 1, powerSum: power });
  }
  return [...minutes.values()];
}

/** Adds the batch's counts to the stored ones, in the caller's transaction. */
export async function incrementDeviceMinutes(
  manager: EntityManager,
  minutes: readonly DeviceMinute[],
): Promise<void> {
  if (minutes.length === 0) return;
  await manager.query(
    `INSERT INTO device_minutes (device_id, minute, messages, power_sum)
     SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::integer[], $4::double precision[])
     ON CONFLICT (device_id, minute) DO UPDATE
       SET messages = device_minutes.messages + excluded.messages,
           power_sum = device_minutes.power_sum + excluded.power_sum`,
    [
      postgresArrayParameter(
        'text',
        minutes.map((m) => m.deviceId),
      ),
      postgresArrayParameter(
        'timestamp with time zone',
        minutes.map((m) => m.minute),
      ),
      postgresArrayParameter(
        'integer',
        minutes.map((m) => m.messages),
      ),
      postgresArrayParameter(
        'double precision',
        minutes.map((m) => m.powerSum),
      ),
    ],
  );
}
