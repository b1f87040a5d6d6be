import { deviceMinutesOf } from './device-minutes';
import type { ReadingDto } from './reading.dto';

const reading = (deviceId: string, timestamp: string, power: number) =>
  ({ deviceId, timestamp: new Date(timestamp), power }) as ReadingDto;

describe('deviceMinutesOf', () => {
  it('counts messages and sums power per device and minute of measurement, resends included', () => {
    const minutes = deviceMinutesOf([
      reading('a', '2026-12-06T10:00:05Z', 10),
      reading('a', '2026-12-06T10:00:59.999Z', 20),
      reading('a', '2026-12-06T10:00:05Z', 10), // a resend: a message too
      reading('a', '2026-12-06T10:01:00Z', 5),
      reading('b', '2026-12-06T10:00:30Z', 7),
    ]);
    expect(minutes).toEqual([
      { deviceId: 'a', minute: new Date('2026-12-06T10:00:00Z'), messages: 3, powerSum: 40 },
      { deviceId: 'a', minute: new Date('2026-12-06T10:01:00Z'), messages: 1, powerSum: 5 },
      { deviceId: 'b', minute: new Date('2026-12-06T10:00:00Z'), messages: 1, powerSum: 7 },
    ]);
  });

  it('gives one row per device and minute, as one INSERT … ON CONFLICT DO UPDATE requires', () => {
    const batch = Array.from({ length: 500 }, (_, i) => reading(`d${i % 7}`, '2026-12-06T10:00:00Z', 1));
    const minutes = deviceMinutesOf(batch);
    expect(minutes).toHaveLength(7);
    expect(minutes.reduce((n, m) => n + m.messages, 0)).toBe(500);
  });
});
