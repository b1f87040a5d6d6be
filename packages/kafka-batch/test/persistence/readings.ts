import type { Reading } from './entities';

const START = Date.UTC(2026, 0, 1);

/** `n` telemetry rows with distinct (deviceId, ts) keys, from `first` on. */
export function readings(n: number, first = 0, temperature = 20): Reading[] {
  return Array.from({ length: n }, (_, k) => {
    const i = first + k;
    return {
      deviceId: `device-${i % 100}`,
      ts: new Date(START + i * 1000),
      temperature: temperature + (i % 10) / 10,
      humidity: 40 + (i % 7),
      power: 3.3,
      battery: 0.9,
      firmware: '1.0.0',
    };
  });
}
