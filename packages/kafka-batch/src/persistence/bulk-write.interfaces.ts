import type { EntityManager } from 'typeorm';

/** How rows reach the database; `auto` lets the repository pick (see strategy.selector.ts). */
/** Every strategy, in the order the documentation lists them. */
export const BULK_STRATEGIES = ['unnest', 'values', 'copy'] as const;
export type BulkStrategyName = (typeof BULK_STRATEGIES)[number];
export type BulkStrategyChoice = BulkStrategyName | 'auto';

/** A property of the entity, or a dotted path into an embedded one (`'location.lat'`). */
export type PropertyPath<Entity> = (keyof Entity & string) | `${keyof Entity & string}.${string}`;

export interface BulkWriteOptions {
  /** Overrides the repository's strategy for this call. */
  strategy?: BulkStrategyChoice;
  /**
   * Write inside this manager's transaction (so the caller commits several writes at once). A manager
   * without an active transaction gets one for this call only.
   */
  manager?: EntityManager;
}

export interface UpsertOptions<Entity> extends BulkWriteOptions {
  /** Properties of the unique key (primary key or unique constraint) that decides insert or update. */
  conflictPaths: readonly PropertyPath<Entity>[];
  /** Columns overwritten on conflict: a list, or every written column except the conflict key. */
  update: readonly PropertyPath<Entity>[] | 'all-but-conflict';
  /**
   * Overwrite a conflicting row only when the incoming row is newer by this property: a number, date or
   * timestamp column among `update`, greater than the stored value, or the stored value is NULL
   * (`ON CONFLICT (...) DO UPDATE SET ... WHERE t.col < EXCLUDED.col OR t.col IS NULL`). Rows sharing a
   * key within the call collapse to the newest by it (of equal values, the last). Drivers without
   * `ON CONFLICT` (MySQL, SQL Server, Oracle, ...) refuse it.
   */
  updateIfNewer?: PropertyPath<Entity>;
}

/** Defaults of one repository, overridable per call. */
export interface BulkRepositoryOptions {
  strategy?: BulkStrategyChoice;
  /** Rows per statement for `unnest` (default 20,000); `values` is further capped by the bind limit. */
  chunkSize?: number;
  /** Batches at least this large go through COPY on `auto` inserts (default 5,000). */
  copyThreshold?: number;
  /** Bind parameters per statement for `values`; defaults to the driver's limit (parameter-limit.ts). */
  maxParameters?: number;
}

export interface BulkWriteResult {
  /** New rows; undefined where the database cannot tell an insert from an update (SQLite upserts). */
  inserted: number | undefined;
  /** Existing rows overwritten by an upsert; undefined where the database cannot tell. */
  updated: number | undefined;
  /** Rows inserted or updated; undefined where the driver's count is ambiguous (MySQL upserts). */
  written: number | undefined;
  /**
   * Input rows that wrote nothing: conflicts ignored by `insertManyIgnoringConflicts`, duplicates of a
   * conflict key within the call that another row superseded, and with `updateIfNewer` the rows not newer
   * than the stored one. `inserted + updated + skipped` is the number of input rows. Undefined when
   * `written` is.
   */
  skipped: number | undefined;
  /** Statements sent (COPY counts as one); 0 for an empty input. */
  statements: number;
  durationMs: number;
  strategy: BulkStrategyName;
}
