import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The per-device, per-minute message counts and power sums, kept by increments (exactly-once). */
export class CreateDeviceMinutes1767312000000 implements MigrationInterface {
  name = 'CreateDeviceMinutes1767312000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE device_minutes (
        device_id   text             NOT NULL,
        minute      timestamptz      NOT NULL,
        messages    integer          NOT NULL,
        power_sum   double precision NOT NULL,
        CONSTRAINT device_minutes_pkey PRIMARY KEY (device_id, minute)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE device_minutes');
  }
}
