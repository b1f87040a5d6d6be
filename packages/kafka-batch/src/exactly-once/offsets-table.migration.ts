import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The offsets table's default name. */
export const DEFAULT_OFFSETS_TABLE = 'kafka_batch_offsets';

/**
 * The offsets table of the exactly-once mode: one row per group and partition, the next offset
 * to consume. PostgreSQL and SQLite get their own types; other databases take the portable form.
 */
export function offsetsTableDdl(databaseType: string, table = DEFAULT_OFFSETS_TABLE): string {
  const [text, big, time] =
    databaseType === 'postgres'
      ? ['text', 'bigint', 'timestamptz']
      : databaseType === 'sqlite' || databaseType === 'better-sqlite3'
        ? ['text', 'integer', 'datetime']
        : ['varchar(255)', 'bigint', 'timestamp'];
  return `CREATE TABLE IF NOT EXISTS ${table} (
  group_id ${text} NOT NULL,
  topic ${text} NOT NULL,
  "partition" integer NOT NULL,
  next_offset ${big} NOT NULL,
  updated_at ${time} NOT NULL DEFAULT CURRENT_TIMESTAMP,
  PRIMARY KEY (group_id, topic, "partition")
)`;
}

/**
 * A TypeORM migration creating the offsets table (`migrations: [KafkaBatchOffsetsMigration]`).
 * For another table name, subclass it and set `table`.
 */
export class KafkaBatchOffsetsMigration implements MigrationInterface {
  name = 'KafkaBatchOffsets1765000000000';
  protected table = DEFAULT_OFFSETS_TABLE;

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(offsetsTableDdl(queryRunner.connection.options.type, this.table));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${this.table}`);
  }
}
