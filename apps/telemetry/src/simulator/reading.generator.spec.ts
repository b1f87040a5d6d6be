import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { ReadingDto } from '../readings/reading.dto';
import { ReadingGenerator } from './reading.generator';

const isValid = (value: string) => {
  try {
    return validateSync(plainToInstance(ReadingDto, JSON.parse(value) as object)).length === 0;
  } catch {
    return false; // not JSON
  }
};

describe('ReadingGenerator', () => {
  it('makes every device report once per round, staggered across the interval, on a backlog timeline', () => {
    const start = Date.UTC(2026, 0, 1);
    const generator = new ReadingGenerator({ devices: 4, timeline: start });
    const readings = Array.from({ length: 8 }, () => JSON.parse(generator.next().value));
    expect(readings.map((r) => r.deviceId)).toEqual([
      'dev-000000',
      'dev-000001',
      'dev-000002',
      'dev-000003',
      'dev-000000',
      'dev-000001',
      'dev-000002',
      'dev-000003',
    ]);
    expect(readings.map((r) => Date.parse(r.timestamp) - start)).toEqual([
      0, 15_000, 30_000, 45_000, 60_000, 75_000, 90_000, 105_000,
    ]);
  });

  it('produces readings the service accepts, and invalid ones it rejects, in the requested shares', () => {
    const generator = new ReadingGenerator({
      devices: 1_000,
      seed: 5,
      invalidRatio: 0.05,
      duplicateRatio: 0.02,
    });
    const readings = Array.from({ length: 20_000 }, () => generator.next());
    const byKind = (kind: string) => readings.filter((r) => r.kind === kind);
    expect(byKind('invalid').length / readings.length).toBeCloseTo(0.05, 2);
    expect(byKind('duplicate').length / readings.length).toBeCloseTo(0.02, 2);
    expect(byKind('valid').every((r) => isValid(r.value))).toBe(true);
    expect(byKind('invalid').filter((r) => isValid(r.value))).toEqual([]);
    expect(new Set(byKind('invalid').map((r) => r.defect)).size).toBe(8);
  });

  it('never gives one device two readings in the same millisecond, even on a frozen clock', () => {
    const generator = new ReadingGenerator({ devices: 3, now: () => 1_000 });
    const keys = Array.from({ length: 30 }, () => {
      const { deviceId, timestamp } = JSON.parse(generator.next().value);
      return `${deviceId} ${timestamp}`;
    });
    expect(new Set(keys).size).toBe(30);
  });

  it('repeats itself for the same seed, timeline and clock', () => {
    const run = () => {
      const generator = new ReadingGenerator({
        devices: 10,
        seed: 9,
        invalidRatio: 0.1,
        timeline: 0,
        now: () => 0,
      });
      return Array.from({ length: 50 }, () => generator.next().value);
    };
    expect(run()).toEqual(run());
  });
});
