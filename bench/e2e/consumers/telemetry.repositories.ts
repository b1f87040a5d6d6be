import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DeviceLatest } from '@org/telemetry/readings/device-latest.entity';
import { TelemetryReading } from '@org/telemetry/readings/telemetry-reading.entity';
import { Repository } from 'typeorm';

/** The telemetry app's two tables as plain TypeORM repositories, the way naive consumers write them. */
@Injectable()
export class TelemetryRepositories {
  constructor(
    @InjectRepository(TelemetryReading) readonly readings: Repository<TelemetryReading>,
    @InjectRepository(DeviceLatest) readonly devices: Repository<DeviceLatest>,
  ) {}
}
