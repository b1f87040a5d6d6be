import { DeviceFleet } from './device.fleet';
import { seededRandom } from './prng';

export type ReadingKind = 'valid' | 'invalid' | 'duplicate';

/** One record to produce: the device id as key, the JSON reading as value. */
export interface SimulatedReading {
  kind: ReadingKind;
  key: string;
  value: string;
  /** Why the service must reject it (invalid readings only). */
  defect?: string;
}

export interface ReadingGeneratorOptions {
  devices: number;
  seed?: number;
  /** Share of readings that are broken in one of the ways devices break them (0..1). */
  invalidRatio?: number;
  /** Share of readings sent twice, as a device retrying an unconfirmed upload does (0..1). */
  duplicateRatio?: number;
  /**
   * Where timestamps come from. 'clock' (default): the time the reading is made, as live devices
   * do. A number: a backlog whose first round of readings starts at that time, each device
   * reporting once per `intervalMs`, staggered across the interval.
   */
  timeline?: 'clock' | number;
  intervalMs?: number;
  /** The clock, replaceable for tests. */
  now?: () => number;
}

type Defect = { reason: string; apply: (reading: Record<string, unknown>, nowMs: number) => string };

// The ways real fleets send garbage: a bad sensor, a reset clock, a firmware bug, a cut upload.
const DEFECTS: Defect[] = [
  { reason: 'temperature out of range', apply: (r) => JSON.stringify({ ...r, temperature: 850 }) },
  { reason: 'humidity out of range', apply: (r) => JSON.stringify({ ...r, humidity: -3 }) },
  { reason: 'missing deviceId', apply: ({ deviceId: _, ...r }) => JSON.stringify(r) },
  { reason: 'timestamp not a date', apply: (r) => JSON.stringify({ ...r, timestamp: '31/12/1999 23:59' }) },
  {
    reason: 'timestamp in the future',
    apply: (r, nowMs) => JSON.stringify({ ...r, timestamp: new Date(nowMs + 86_400_000) }),
  },
  { reason: 'firmware not a version', apply: (r) => JSON.stringify({ ...r, firmware: 'v3-beta' }) },
  { reason: 'battery not a number', apply: (r) => JSON.stringify({ ...r, battery: 'low' }) },
  { reason: 'truncated JSON', apply: (r) => JSON.stringify(r).slice(0, 40) },
];

/**
 * An endless stream of readings from a fleet: device after device, each once per round, so with
 * N devices and a rate of N per minute every device reports once a minute. Deterministic for a
 * seed (and, with a fixed timeline and clock, byte for byte).
 */
export class ReadingGenerator {
  readonly fleet: DeviceFleet;
  private readonly random: () => number;
  private readonly invalidRatio: number;
  private readonly duplicateRatio: number;
  private readonly timeline: 'clock' | number;
  private readonly intervalMs: number;
  private readonly now: () => number;
  /** Last timestamp per device: two readings of one device never share a millisecond. */
  private readonly lastTimestamp: Float64Array;
  private slot = 0;
  private lastValid: SimulatedReading | undefined;

  constructor(options: ReadingGeneratorOptions) {
    const seed = options.seed ?? 1;
    this.fleet = new DeviceFleet(options.devices, seed);
    this.random = seededRandom(seed ^ 0x5eed);
    this.invalidRatio = options.invalidRatio ?? 0;
    this.duplicateRatio = options.duplicateRatio ?? 0;
    this.timeline = options.timeline ?? 'clock';
    this.intervalMs = options.intervalMs ?? 60_000;
    this.now = options.now ?? Date.now;
    this.lastTimestamp = new Float64Array(options.devices);
  }

  next(): SimulatedReading {
    if (this.lastValid && this.random() < this.duplicateRatio) {
      return { ...this.lastValid, kind: 'duplicate' };
    }
    const device = this.slot % this.fleet.size;
    const timestamp = this.timestampFor(device);
    this.slot++;
    const reading = {
      deviceId: this.fleet.id(device),
      timestamp: new Date(timestamp).toISOString(),
      ...this.fleet.measure(device, timestamp, this.random),
    };
    if (this.random() < this.invalidRatio) {
      const defect = DEFECTS[Math.floor(this.random() * DEFECTS.length)];
      return {
        kind: 'invalid',
        key: reading.deviceId,
        value: defect.apply(reading, this.now()),
        defect: defect.reason,
      };
    }
    this.lastValid = { kind: 'valid', key: reading.deviceId, value: JSON.stringify(reading) };
    return this.lastValid;
  }

  private timestampFor(device: number): number {
    let timestamp: number;
    if (this.timeline === 'clock') {
      timestamp = this.now();
    } else {
      const round = Math.floor(this.slot / this.fleet.size);
      timestamp =
        this.timeline + round * this.intervalMs + Math.floor((device * this.intervalMs) / this.fleet.size);
    }
    timestamp = Math.max(timestamp, this.lastTimestamp[device] + 1);
    this.lastTimestamp[device] = timestamp;
    return timestamp;
  }
}
