import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Every reading, keyed by (device, measurement time): a reading delivered twice (producer retry,
 * consumer redelivery after a crash) is written once.
 */
@Entity({ name: 'telemetry_readings' })
export class TelemetryReading {
  @PrimaryColumn({
    name: 'device_id',
    type: 'text',
    collation: 'C',
    primaryKeyConstraintName: 'telemetry_readings_pkey',
  })
  deviceId!: string;

  @PrimaryColumn({
    name: 'recorded_at',
    type: 'timestamptz',
    primaryKeyConstraintName: 'telemetry_readings_pkey',
  })
  recordedAt!: Date;

  @Column({ type: 'double precision' })
  temperature!: number;

  @Column({ type: 'double precision' })
  humidity!: number;

  @Column({ type: 'double precision' })
  power!: number;

  @Column({ type: 'double precision' })
  battery!: number;

  @Column({ type: 'text' })
  firmware!: string;

  @Column({ type: 'integer', nullable: true })
  rssi!: number | null;
}
