import type { ReadingDto } from '../readings/reading.dto';
import type { DeviceEvent, DeviceEventKind } from './device-event.entity';

const OVERHEAT_CELSIUS = 85;
const CONDENSATION_HUMIDITY = 95;

/** The events a reading raises, none for most readings. */
export function toEvents({ deviceId, measuredAt, temperature, humidity }: ReadingDto): DeviceEvent[] {
  const kinds: DeviceEventKind[] = [];
  if (temperature >= OVERHEAT_CELSIUS) kinds.push('overheat');
  if (humidity >= CONDENSATION_HUMIDITY) kinds.push('condensation');
  return kinds.map((kind) => ({ deviceId, measuredAt, kind }));
}
