import { Column, CreateDateColumn, Entity, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** The telemetry shape of the case study: one row per device and timestamp. */
@Entity({ name: 'reading' })
@Unique('reading_device_ts', ['deviceId', 'ts'])
export class Reading {
  @PrimaryGeneratedColumn('uuid')
  id?: string;

  @Column({ name: 'device_id', type: 'text' })
  deviceId!: string;

  @Column({ type: 'timestamptz' })
  ts!: Date;

  @Column({ type: 'double precision', nullable: true })
  temperature!: number | null;

  @Column({ type: 'double precision', nullable: true })
  humidity!: number | null;

  @Column({ type: 'double precision', nullable: true })
  power!: number | null;

  @Column({ type: 'double precision', nullable: true })
  battery!: number | null;

  @Column({ type: 'text', nullable: true })
  firmware!: string | null;
}

/** A second table, for writes that must commit or roll back together with readings. */
@Entity({ name: 'device_event' })
export class DeviceEvent {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ name: 'device_id', type: 'text' })
  deviceId!: string;

  @Column({ type: 'text' })
  kind!: string;
}

/** Each device's latest state, for upserts that must only move forward (`updateIfNewer`). */
@Entity({ name: 'device_state' })
export class DeviceState {
  @PrimaryColumn({ name: 'device_id', type: 'text' })
  deviceId!: string;

  @Column({ name: 'measured_at', type: 'timestamptz', nullable: true })
  measuredAt!: Date | null;

  /** A counter past 2^53, which arrives as a string. */
  @Column({ type: 'bigint', nullable: true })
  version!: string | null;

  @Column({ type: 'double precision' })
  temperature!: number;

  @Column({ type: 'text', nullable: true })
  firmware!: string | null;
}

export enum Status {
  Active = 'active',
  Retired = 'retired',
}

export class Location {
  @Column({ type: 'double precision' })
  lat!: number;

  @Column({ type: 'double precision' })
  lon!: number;
}

const cents = {
  to: (euros: number | null | undefined) => (euros == null ? euros : Math.round(euros * 100)),
  from: (stored: number | null) => (stored == null ? stored : stored / 100),
};

/** Every column type the PostgreSQL strategies support, with the metadata features that change values. */
@Entity({ name: 'all_types' })
export class AllTypes {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ type: 'varchar', length: 40, name: 'Short Name' })
  shortName!: string;

  @Column({ type: 'integer' })
  integer!: number;

  @Column({ type: 'bigint' })
  big!: string;

  @Column({ type: 'double precision' })
  double!: number;

  @Column({ type: 'numeric', precision: 14, scale: 4 })
  amount!: string;

  @Column({ type: 'boolean' })
  flag!: boolean;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'timestamp' })
  localAt!: Date;

  @Column({ type: 'date' })
  day!: string;

  @Column({ type: 'jsonb' })
  doc!: Record<string, unknown>;

  @Column({ type: 'json', nullable: true })
  plainJson!: unknown;

  @Column({ type: 'enum', enum: Status })
  status!: Status;

  @Column({ type: 'uuid', nullable: true })
  ref!: string | null;

  @Column({ type: 'bytea', nullable: true })
  bytes!: Buffer | null;

  @Column({ type: 'text', array: true })
  tags!: string[];

  @Column({ type: 'integer', array: true, nullable: true })
  scores!: number[] | null;

  @Column({ type: 'simple-json', nullable: true })
  simple!: { a: number } | null;

  @Column({ type: 'integer', transformer: cents })
  euros!: number;

  @Column(() => Location)
  location!: Location;

  @Column({ type: 'text', nullable: true })
  note!: string | null;

  @Column({ type: 'text', default: 'fresh' })
  state?: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt?: Date;
}

/**
 * Names only a correctly quoted identifier can carry: a double quote and a space in the table's name
 * and in column names. TypeORM's synchronize cannot create it (it does not double the quotes either),
 * so the tests create it with ODDLY_NAMED_TABLE.
 */
@Entity({ name: 'odd "quoted" table' })
export class OddlyNamed {
  @PrimaryColumn({ name: 'the "key"', type: 'text' })
  key!: string;

  @Column({ name: 'a "value"', type: 'integer' })
  value!: number;

  @Column({ name: 'seen "at"', type: 'timestamptz', nullable: true })
  seenAt!: Date | null;
}

export const ODDLY_NAMED_TABLE = `CREATE TABLE "odd ""quoted"" table" (
  "the ""key""" text PRIMARY KEY,
  "a ""value""" integer NOT NULL,
  "seen ""at""" timestamptz
)`;
