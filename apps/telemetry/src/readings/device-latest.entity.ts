import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The last known state of each device: what a dashboard or an alerting rule reads. */
@Entity({ name: 'device_latest' })
export class DeviceLatest {
  @PrimaryColumn({
    name: 'device_id',
    type: 'text',
    collation: 'C',
    primaryKeyConstraintName: 'device_latest_pkey',
  })
  deviceId!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
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

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
