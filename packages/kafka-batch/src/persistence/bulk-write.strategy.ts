import type { EntityMetadata, ObjectLiteral, QueryRunner } from 'typeorm';
import type { BulkStrategyName } from './bulk-write.interfaces';
import type { IndexedRows } from './dedupe';
import type { WriteOperation } from './write.operation';

export interface StrategyInput<Entity extends ObjectLiteral> {
  /** Connected, inside the transaction the write belongs to. */
  queryRunner: QueryRunner;
  metadata: EntityMetadata;
  rows: IndexedRows<Entity>;
  operation: WriteOperation;
  /** Rows per statement at most. */
  chunkSize: number;
  /** Bind parameters per statement at most. */
  maxParameters: number;
}

export interface StrategyOutcome {
  /** Rows inserted or updated, where the driver reports it. */
  written: number | undefined;
  /** Of those, rows inserted, where the database tells inserts from updates. */
  inserted: number | undefined;
  statements: number;
}

export interface BulkWriteStrategy {
  readonly name: BulkStrategyName;
  write<Entity extends ObjectLiteral>(input: StrategyInput<Entity>): Promise<StrategyOutcome>;
}
