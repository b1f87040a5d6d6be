import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTelemetryTables1767225600000 implements MigrationInterface {
  name = 'CreateTelemetryTables1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The primary key (device, measurement time) is the natural key the upserts conflict on.
    await queryRunner.query(`
      CREATE TABLE telemetry_readings (
        device_id   text             NOT NULL,
        recorded_at timestamptz      NOT NULL,
        temperature double precision NOT NULL,
        humidity    double precision NOT NULL,
        power       double precision NOT NULL,
        battery     double precision NOT NULL,
        firmware    text             NOT NULL,
        rssi        integer,
        CONSTRAINT telemetry_readings_pkey PRIMARY KEY (device_id, recorded_at)
      )`);
    await queryRunner.query(`
      CREATE TABLE device_latest (
        device_id   text             NOT NULL,
        recorded_at timestamptz      NOT NULL,
        temperature double precision NOT NULL,
        humidity    double precision NOT NULL,
        power       double precision NOT NULL,
        battery     double precision NOT NULL,
        firmware    text             NOT NULL,
        rssi        integer,
        updated_at  timestamptz      NOT NULL,
        CONSTRAINT device_latest_pkey PRIMARY KEY (device_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE device_latest');
    await queryRunner.query('DROP TABLE telemetry_readings');
  }
}
