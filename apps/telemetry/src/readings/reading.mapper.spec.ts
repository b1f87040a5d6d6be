import { latestPerDevice } from './reading.mapper';
import type { ReadingDto } from './reading.dto';

const reading = (deviceId: string, iso: string, temperature: number): ReadingDto => ({
  deviceId,
  timestamp: new Date(iso),
  temperature,
  humidity: 40,
  power: 5,
  battery: 80,
  firmware: '2.5.0',
});

describe('latestPerDevice', () => {
  it('keeps the newest reading of each device by measurement time, not by position in the batch', () => {
    const now = new Date('2026-01-01T00:10:00Z');
    const rows = latestPerDevice(
      [
        reading('a', '2026-01-01T00:02:00Z', 2),
        reading('b', '2026-01-01T00:01:00Z', 10),
        reading('a', '2026-01-01T00:01:00Z', 1), // a late resend
      ],
      now,
    );
    expect(rows).toEqual([
      expect.objectContaining({ deviceId: 'a', temperature: 2, rssi: null, updatedAt: now }),
      expect.objectContaining({ deviceId: 'b', temperature: 10 }),
    ]);
  });
});
