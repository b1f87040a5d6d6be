import { traceBulkWrite } from '../tracing/bulk-write.tracer';
import type {
  DataSource,
  EntityManager,
  EntityMetadata,
  EntityTarget,
  ObjectLiteral,
  QueryRunner,
} from 'typeorm';
import { attributeFailure } from './bulk-write.error';
import type {
  BulkRepositoryOptions,
  BulkStrategyName,
  BulkWriteOptions,
  BulkWriteResult,
  UpsertOptions,
} from './bulk-write.interfaces';
import type { BulkWriteStrategy, StrategyOutcome } from './bulk-write.strategy';
import { conflictValues } from './conflict-values';
import { CopyStrategy } from './copy.strategy';
import { allRows, dedupeByKey, IndexedRows } from './dedupe';
import { newestWins } from './newer-row';
import { maxBindParameters } from './parameter-limit';
import { quotedTable } from './sql-identifiers';
import { selectStrategy } from './strategy.selector';
import { UnnestStrategy } from './unnest.strategy';
import { resolveUpsert } from './upsert.options';
import { ValuesStrategy } from './values.strategy';
import type { WriteOperation } from './write.operation';

const DEFAULT_CHUNK_SIZE = 20_000;
const DEFAULT_COPY_THRESHOLD = 5_000;

/**
 * Writes whole batches of one entity in as few statements as the database allows, each call in one
 * transaction: its own, or the caller's when given `{ manager }`. Obtain one with
 * `BulkRepositoryModule.forFeature([Entity])` and `@InjectBulkRepository(Entity)`, or construct it on an
 * initialized DataSource.
 */
export class BulkRepository<Entity extends ObjectLiteral> {
  private readonly strategies: Record<BulkStrategyName, BulkWriteStrategy> = {
    unnest: new UnnestStrategy(),
    values: new ValuesStrategy(),
    copy: new CopyStrategy(),
  };
  private resolvedMetadata?: EntityMetadata;

  constructor(
    readonly dataSource: DataSource,
    readonly target: EntityTarget<Entity>,
    private readonly options: BulkRepositoryOptions = {},
  ) {}

  get metadata(): EntityMetadata {
    return (this.resolvedMetadata ??= this.dataSource.getMetadata(this.target));
  }

  /** Inserts every row; any conflict fails the whole call. */
  insertMany(rows: readonly Entity[], options: BulkWriteOptions = {}): Promise<BulkWriteResult> {
    return this.write(rows, { kind: 'insert' }, options);
  }

  /** Inserts the rows that conflict with no unique constraint; the others count as `skipped`. */
  insertManyIgnoringConflicts(
    rows: readonly Entity[],
    options: BulkWriteOptions = {},
  ): Promise<BulkWriteResult> {
    return this.write(rows, { kind: 'ignore' }, options);
  }

  /**
   * Inserts new keys and overwrites the chosen columns of existing ones, with `updateIfNewer` only where
   * the incoming row is newer. Rows sharing a key within the call are collapsed first, the last one
   * winning (the highest offset, for rows in offset order), or the newest with `updateIfNewer`.
   */
  async upsertMany(rows: readonly Entity[], options: UpsertOptions<Entity>): Promise<BulkWriteResult> {
    return this.write(rows, resolveUpsert(this.metadata, this.dataSource.driver, options), options);
  }

  private async write(
    rows: readonly Entity[],
    operation: WriteOperation,
    options: BulkWriteOptions,
  ): Promise<BulkWriteResult> {
    const started = performance.now();
    const { type } = this.dataSource.options;
    const strategy =
      this.strategies[
        selectStrategy(
          options.strategy ?? this.options.strategy ?? 'auto',
          type,
          operation.kind,
          rows.length,
          this.options.copyThreshold ?? DEFAULT_COPY_THRESHOLD,
        )
      ];
    if (!rows.length) {
      return summarize(0, { written: 0, inserted: 0, statements: 0 }, strategy.name, started);
    }
    const indexed = this.rowsToWrite(rows, operation);
    const context = { table: quotedTable(this.metadata), operation: operation.kind, strategy: strategy.name };
    const traced = { ...context, driver: type, table: this.metadata.tableName, rows: indexed.rows.length };
    const outcome = await traceBulkWrite(traced, () =>
      attributeFailure(context, () =>
        this.inTransaction(options.manager, (queryRunner) =>
          strategy.write({
            queryRunner,
            metadata: this.metadata,
            rows: indexed,
            operation,
            chunkSize: this.options.chunkSize ?? DEFAULT_CHUNK_SIZE,
            maxParameters: this.options.maxParameters ?? maxBindParameters(type),
          }),
        ),
      ),
    );
    return summarize(rows.length, outcome, strategy.name, started);
  }

  /** An upsert writes one row per conflict key (see dedupeByKey); inserts write every row. */
  private rowsToWrite(rows: readonly Entity[], operation: WriteOperation): IndexedRows<Entity> {
    if (operation.kind !== 'upsert') return allRows(rows);
    const { driver } = this.dataSource;
    const guard = operation.updateIfNewer;
    return dedupeByKey(
      rows,
      conflictValues(driver, operation.conflictColumns, rows),
      guard && newestWins(guard, conflictValues(driver, [guard], rows)[0]),
    );
  }

  private async inTransaction<T>(
    manager: EntityManager | undefined,
    work: (queryRunner: QueryRunner) => Promise<T>,
  ): Promise<T> {
    const callerRunner = manager?.queryRunner;
    if (callerRunner?.isTransactionActive) return work(callerRunner);
    return (manager ?? this.dataSource.manager).transaction((transactional) => {
      if (!transactional.queryRunner) throw new Error('TypeORM gave the transaction no query runner');
      return work(transactional.queryRunner);
    });
  }
}

function summarize(
  inputRows: number,
  outcome: StrategyOutcome,
  strategy: BulkStrategyName,
  started: number,
): BulkWriteResult {
  const { written, inserted, statements } = outcome;
  return {
    inserted,
    updated: written === undefined || inserted === undefined ? undefined : written - inserted,
    written,
    skipped: written === undefined ? undefined : inputRows - written,
    statements,
    durationMs: performance.now() - started,
    strategy,
  };
}
