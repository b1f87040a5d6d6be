import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { Driver } from 'typeorm/driver/Driver';
import type { EntityMetadata, ObjectLiteral } from 'typeorm';
import type { UpsertOptions } from './bulk-write.interfaces';
import { orderingOf } from './newer-row';
import { columnsToUpdate, UpsertOperation } from './write.operation';

/**
 * Every option upsertMany reads. A key outside it (a typo, an option of another version) would be
 * ignored silently, and an ignored `updateIfNewer` lets old rows overwrite new ones, so it is refused.
 */
const UPSERT_OPTIONS: Record<keyof UpsertOptions<ObjectLiteral>, true> = {
  conflictPaths: true,
  update: true,
  updateIfNewer: true,
  strategy: true,
  manager: true,
};

/** upsertMany's options, checked and resolved to columns before anything is sent. */
export function resolveUpsert<Entity extends ObjectLiteral>(
  metadata: EntityMetadata,
  driver: Driver,
  options: UpsertOptions<Entity>,
): UpsertOperation {
  const unknown = Object.keys(options).filter((key) => !Object.hasOwn(UPSERT_OPTIONS, key));
  if (unknown.length) {
    throw new Error(
      `upsertMany has no option ${unknown.map((key) => `"${key}"`).join(', ')} (its options: ${Object.keys(UPSERT_OPTIONS).join(', ')})`,
    );
  }
  if (!options.conflictPaths.length) throw new Error('upsertMany needs at least one conflict path');
  const { update } = options;
  const operation: UpsertOperation = {
    kind: 'upsert',
    conflictColumns: resolveColumns(metadata, 'conflictPaths', options.conflictPaths),
    updateColumns: update === 'all-but-conflict' ? update : resolveColumns(metadata, 'update', update),
  };
  if (options.updateIfNewer === undefined) return operation;
  return { ...operation, updateIfNewer: guardColumn(metadata, driver, operation, options.updateIfNewer) };
}

function guardColumn(
  metadata: EntityMetadata,
  driver: Driver,
  operation: UpsertOperation,
  path: string,
): ColumnMetadata {
  const refuse = (reason: string) => new Error(`upsertMany option updateIfNewer: ${reason}`);
  if (!driver.supportedUpsertTypes.includes('on-conflict-do-update')) {
    throw refuse(
      `it needs ON CONFLICT ... DO UPDATE ... WHERE, which the ${driver.options.type} driver does not have; ` +
        'it works on postgres (strategies unnest, values and copy), cockroachdb and the SQLite drivers (values)',
    );
  }
  const [column] = resolveColumns(metadata, 'updateIfNewer', [path]);
  if (!orderingOf(column)) {
    const type = typeof column.type === 'function' ? column.type.name : column.type;
    throw refuse(
      `${metadata.name}.${path} is a ${type} column; it must hold numbers, dates or timestamps, which order ` +
        'alike in the database and in the dedupe of the call',
    );
  }
  if (operation.conflictColumns.includes(column)) {
    throw refuse(`"${path}" is a conflict path, equal on every conflict; name the column that orders rows`);
  }
  if (!columnsToUpdate(operation, [column]).length) {
    throw refuse(`"${path}" must be among the updated columns, or the stored value never advances`);
  }
  return column;
}

function resolveColumns(
  metadata: EntityMetadata,
  option: keyof UpsertOptions<ObjectLiteral>,
  paths: readonly string[],
): ColumnMetadata[] {
  return paths.map((path) => {
    const column = metadata.findColumnWithPropertyPath(path);
    if (!column) {
      throw new Error(
        `upsertMany option ${option}: ${metadata.name} has no column at property path "${path}"`,
      );
    }
    return column;
  });
}
