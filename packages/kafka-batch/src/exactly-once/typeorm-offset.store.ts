import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { partitionKey, TopicPartition } from '../common/topic-partition';
import { quotedPath } from '../persistence/sql-identifiers';
import { NO_STORED_OFFSET, OffsetMove, OffsetStore, OffsetStoreTransaction } from './offset.store';

/**
 * The offsets table on a TypeORM DataSource, through the query builder so that every driver
 * gets its own quoting and placeholders. The DDL is in offsets-table.migration.ts.
 */
export class TypeOrmOffsetStore implements OffsetStore {
  /** For the raw SQL of PostgreSQL's one-statement move; quoted once, not per transaction. */
  private readonly quotedTable: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly table: string,
  ) {
    this.quotedTable = quotedPath(dataSource.driver, table.split('.'));
  }

  async read(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    if (partitions.length === 0) return new Map();
    const stored = await this.select(groupId, partitions);
    const missing = partitions.filter(({ topic, partition }) => !stored.has(partitionKey(topic, partition)));
    if (missing.length === 0) return stored;
    // Rows are created outside any batch's transaction, so that every later move is an UPDATE
    // that locks its row. A plain read never waits for a lock: existing rows are only selected.
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(this.table, ['group_id', 'topic', 'partition', 'next_offset'])
      .values(
        missing.map(({ topic, partition }) => ({
          group_id: groupId,
          topic,
          partition,
          next_offset: NO_STORED_OFFSET,
        })),
      )
      .orIgnore()
      .execute();
    return this.select(groupId, partitions);
  }

  private async select(groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    const topics = [...new Set(partitions.map((p) => p.topic))];
    const rows = await this.dataSource
      .createQueryBuilder()
      .select('o.topic', 'topic')
      .addSelect('o.partition', 'partition')
      .addSelect('o.next_offset', 'next_offset')
      .from(this.table, 'o')
      .where('o.group_id = :groupId', { groupId })
      .andWhere('o.topic IN (:...topics)', { topics })
      .getRawMany<{ topic: string; partition: number | string; next_offset: number | string }>();
    const stored = new Map<string, number>();
    for (const row of rows)
      stored.set(partitionKey(row.topic, Number(row.partition)), Number(row.next_offset));
    return stored;
  }

  async begin(): Promise<OffsetStoreTransaction> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
    } catch (err) {
      await runner.release().catch(() => undefined);
      throw err;
    }
    return new TypeOrmOffsetTransaction(runner, this.table, this.quotedTable);
  }
}

class TypeOrmOffsetTransaction implements OffsetStoreTransaction {
  private ended = false;

  constructor(
    private readonly runner: QueryRunner,
    private readonly table: string,
    private readonly quotedTable: string,
  ) {}

  get manager(): EntityManager {
    return this.runner.manager;
  }

  async advance(groupId: string, moves: readonly OffsetMove[]): Promise<TopicPartition[]> {
    // One order for every member: two transactions locking the same rows do not deadlock.
    const ordered = [...moves].sort((a, b) =>
      a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1,
    );
    const moved =
      this.runner.connection.driver.options.type === 'postgres'
        ? await this.advanceInOneStatement(groupId, ordered)
        : await this.advanceOneByOne(groupId, ordered);
    return ordered
      .filter((m) => !moved.has(partitionKey(m.topic, m.partition)))
      .map(({ topic, partition }) => ({ topic, partition }));
  }

  /** PostgreSQL: every partition of the invocation in one round trip. */
  private async advanceInOneStatement(groupId: string, moves: readonly OffsetMove[]): Promise<Set<string>> {
    const rows = await this.manager.query<{ topic: string; partition: number }[]>(
      // TypeORM answers an UPDATE with [rows, count]; a SELECT around it answers with the rows.
      `WITH moved AS (UPDATE ${this.quotedTable} AS o SET next_offset = m.next, updated_at = CURRENT_TIMESTAMP
       FROM unnest($2::text[], $3::int[], $4::bigint[], $5::bigint[]) AS m (topic, "partition", expected, next)
       WHERE o.group_id = $1 AND o.topic = m.topic AND o."partition" = m."partition" AND o.next_offset = m.expected
       RETURNING o.topic, o."partition")
       SELECT topic, "partition" FROM moved`,
      [
        groupId,
        moves.map((m) => m.topic),
        moves.map((m) => m.partition),
        moves.map((m) => m.expected),
        moves.map((m) => m.next),
      ],
    );
    return new Set(rows.map((r) => partitionKey(r.topic, r.partition)));
  }

  /** Any other driver: the query builder's UPDATE per partition. */
  private async advanceOneByOne(groupId: string, moves: readonly OffsetMove[]): Promise<Set<string>> {
    const partitionColumn = this.runner.connection.driver.escape('partition');
    const moved = new Set<string>();
    for (const move of moves) {
      const { affected } = await this.manager
        .createQueryBuilder()
        .update(this.table)
        .set({ next_offset: move.next, updated_at: () => 'CURRENT_TIMESTAMP' })
        .where(
          `group_id = :groupId AND topic = :topic AND ${partitionColumn} = :partition AND next_offset = :expected`,
          { groupId, topic: move.topic, partition: move.partition, expected: move.expected },
        )
        .execute();
      if (affected === 1) moved.add(partitionKey(move.topic, move.partition));
    }
    return moved;
  }

  async commit(): Promise<void> {
    this.ended = true;
    try {
      await this.runner.commitTransaction();
    } finally {
      await this.runner.release();
    }
  }

  async rollback(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    try {
      if (this.runner.isTransactionActive) await this.runner.rollbackTransaction();
    } finally {
      await this.runner.release();
    }
  }
}
