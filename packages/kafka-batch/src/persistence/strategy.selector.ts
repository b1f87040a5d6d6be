import type { DatabaseType } from 'typeorm';
import type { BulkStrategyChoice, BulkStrategyName } from './bulk-write.interfaces';
import type { WriteKind } from './write.operation';

const POSTGRES_ONLY: readonly BulkStrategyName[] = ['unnest', 'copy'];

/**
 * The `auto` rule. PostgreSQL: inserts (plain or ignoring conflicts) of at least `copyThreshold` rows
 * go through COPY, whose fixed cost (and, when ignoring conflicts, a staging table) pays off only on
 * large batches; smaller inserts and every upsert use UNNEST. Other drivers: VALUES, the only portable
 * statement. An explicit choice wins, but a PostgreSQL-only strategy on another driver is an error.
 */
export function selectStrategy(
  choice: BulkStrategyChoice,
  driver: DatabaseType,
  kind: WriteKind,
  rows: number,
  copyThreshold: number,
): BulkStrategyName {
  const postgres = driver === 'postgres';
  if (choice !== 'auto') {
    if (POSTGRES_ONLY.includes(choice) && !postgres) {
      throw new Error(`the "${choice}" strategy needs the postgres driver (this data source uses ${driver})`);
    }
    return choice;
  }
  if (!postgres) return 'values';
  return kind !== 'upsert' && rows >= copyThreshold ? 'copy' : 'unnest';
}
