import { Entity, PrimaryColumn } from 'typeorm';

export type DeviceEventKind = 'overheat' | 'condensation';

/** Something a reading revealed; the key makes a redelivered reading raise its events only once. */
@Entity('device_events')
export class DeviceEvent {
  @PrimaryColumn({ name: 'device_id', type: 'text' })
  deviceId!: string;

  @PrimaryColumn({ name: 'measured_at', type: 'timestamptz' })
  measuredAt!: Date;

  @PrimaryColumn({ type: 'text' })
  kind!: DeviceEventKind;
}
