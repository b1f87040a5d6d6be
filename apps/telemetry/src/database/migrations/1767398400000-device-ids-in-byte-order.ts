import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['telemetry_readings', 'device_latest', 'device_minutes'];

/**
 * Device ids compared byte by byte (collation "C") instead of by the database's locale: they are
 * identifiers, never sorted for people, and every upsert descends three B-trees keyed on them, where
 * a locale comparison went through strcoll for each key. device_latest, whose rows are rewritten by
 * every reading of their device, keeps half of each page free, so that an update stays on its page
 * (a HOT update) instead of adding an entry to the index: in a drain of 1,000,000 readings of 500,000
 * devices, 500,000 of 500,000 updates were HOT, against 141,000 with a fifth free. Together, 0.93× the
 * server's CPU per reading (bench/README.md, "Device ids in byte order").
 *
 * On tables already filled, the collation change rebuilds the three primary keys (not the tables)
 * under an exclusive lock, and the fillfactor applies to pages written from then on.
 */
export class DeviceIdsInByteOrder1767398400000 implements MigrationInterface {
  name = 'DeviceIdsInByteOrder1767398400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES)
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN device_id TYPE text COLLATE "C"`);
    await queryRunner.query('ALTER TABLE device_latest SET (fillfactor = 50)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE device_latest RESET (fillfactor)');
    for (const table of TABLES)
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN device_id TYPE text COLLATE "default"`);
  }
}
