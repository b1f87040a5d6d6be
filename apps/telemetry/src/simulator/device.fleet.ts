import { seededRandom } from './prng';

const FIRMWARE = ['2.4.1', '2.5.0', '2.5.3', '3.0.0'];
const FIRMWARE_SHARE = [0.1, 0.25, 0.45, 0.2];

/**
 * The fixed traits of every simulated device, in typed arrays: half a million devices cost a few
 * megabytes, not half a million objects.
 */
export class DeviceFleet {
  readonly size: number;
  private readonly baseTemperature: Float32Array;
  private readonly baseHumidity: Float32Array;
  private readonly basePower: Float32Array;
  private readonly batteryAtStart: Float32Array;
  private readonly firmware: Uint8Array;
  private readonly baseRssi: Int8Array;

  constructor(size: number, seed: number) {
    const random = seededRandom(seed);
    this.size = size;
    this.baseTemperature = new Float32Array(size);
    this.baseHumidity = new Float32Array(size);
    this.basePower = new Float32Array(size);
    this.batteryAtStart = new Float32Array(size);
    this.firmware = new Uint8Array(size);
    this.baseRssi = new Int8Array(size);
    for (let i = 0; i < size; i++) {
      this.baseTemperature[i] = 12 + random() * 16; // indoor and sheltered outdoor sites
      this.baseHumidity[i] = 30 + random() * 40;
      this.basePower[i] = 2 + random() * 18;
      this.batteryAtStart[i] = 40 + random() * 60;
      this.firmware[i] = pick(FIRMWARE_SHARE, random());
      this.baseRssi[i] = -50 - Math.floor(random() * 50);
    }
  }

  id(device: number): string {
    return `dev-${String(device).padStart(6, '0')}`;
  }

  /** What the device measures at `timeMs`: a daily cycle around its own baseline, plus noise. */
  measure(device: number, timeMs: number, noise: () => number) {
    const dayPhase = ((timeMs / 86_400_000) % 1) * 2 * Math.PI;
    const daily = Math.sin(dayPhase - Math.PI / 2); // coldest around 06:00 UTC
    const temperature = this.baseTemperature[device] + 4 * daily + (noise() - 0.5);
    const humidity = clamp(this.baseHumidity[device] - 6 * daily + 2 * (noise() - 0.5), 0, 100);
    const hoursRunning = (timeMs / 3_600_000) % 1000;
    return {
      temperature: round(temperature, 2),
      humidity: round(humidity, 1),
      power: round(this.basePower[device] * (0.9 + 0.2 * noise()), 2),
      battery: round(clamp(this.batteryAtStart[device] - hoursRunning * 0.004, 0, 100), 1),
      firmware: FIRMWARE[this.firmware[device]],
      // Firmware 2.4 predates signal reporting.
      rssi: this.firmware[device] === 0 ? undefined : this.baseRssi[device] + Math.round(4 * (noise() - 0.5)),
    };
  }
}

function pick(shares: number[], roll: number): number {
  let sum = 0;
  for (let i = 0; i < shares.length; i++) {
    sum += shares[i];
    if (roll < sum) return i;
  }
  return shares.length - 1;
}

const clamp = (v: number, min: number, max: number) => Math.min(max, Math.max(min, v));
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
