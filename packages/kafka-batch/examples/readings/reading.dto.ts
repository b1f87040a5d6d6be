import { Type } from 'class-transformer';
import { IsDate, IsNumber, IsString, Max, Min } from 'class-validator';

/** A reading as a device publishes it: JSON on the `telemetry` topic. */
export class ReadingDto {
  @IsString()
  deviceId!: string;

  @Type(() => Date)
  @IsDate()
  measuredAt!: Date;

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
}
