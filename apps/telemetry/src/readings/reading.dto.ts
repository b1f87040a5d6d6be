import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { NotAheadOfClock } from './clock-skew';
import { IsIsoTimestamp } from './iso-timestamp';

/** A clock more than this far ahead of ours is a broken device clock, not a reading to keep. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** One reading as a device sends it (JSON on `telemetry.readings`, keyed by device id). */
export class ReadingDto {
  @IsString()
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, {
    message: 'deviceId must be 1..64 characters of A-Z a-z 0-9 . _ : - starting with a letter or digit',
  })
  deviceId!: string;

  /** When the device measured: ISO 8601 with an offset, e.g. 2025-03-07T10:15:00Z. */
  @IsIsoTimestamp()
  @NotAheadOfClock(MAX_CLOCK_SKEW_MS, {
    message: 'timestamp must not be more than 5 minutes in the future',
  })
  timestamp!: Date;

  /** °C, the sensor's range. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-40)
  @Max(125)
  temperature!: number;

  /** Relative humidity, %. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  humidity!: number;

  /** Power draw, W. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(10_000)
  power!: number;

  /** Battery charge, %. */
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  battery!: number;

  @IsString()
  @Matches(/^\d+\.\d+\.\d+$/, { message: 'firmware must be a version major.minor.patch' })
  firmware!: string;

  /** Radio signal strength, dBm; older firmware does not report it. */
  @IsOptional()
  @IsInt()
  @Min(-130)
  @Max(0)
  rssi?: number;
}
