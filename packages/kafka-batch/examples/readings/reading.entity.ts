import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Keyed by device and measurement time, the reading's natural key: a reading delivered twice
 * (a producer retry, a redelivery after a crash) is upserted onto the same row.
 */
@Entity('readings')
export class Reading {
  @PrimaryColumn({ name: 'device_id', type: 'text' })
  deviceId!: string;

  @PrimaryColumn({ name: 'measured_at', type: 'timestamptz' })
  measuredAt!: Date;

  @Column({ type: 'double precision' })
  temperature!: number;

  @Column({ type: 'double precision' })
  humidity!: number;
}
