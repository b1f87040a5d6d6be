import type { BulkStrategyName } from './bulk-write.interfaces';
import type { Chunk } from './chunking';
import type { WriteKind } from './write.operation';

/** Where a failed statement was in the call. */
export interface FailedChunk {
  index: number;
  count: number;
  /** Positions in the caller's input of the chunk's first and last rows. */
  firstRow: number;
  lastRow: number;
}

export interface FailureContext {
  table: string;
  operation: WriteKind;
  strategy: BulkStrategyName;
  chunk?: FailedChunk;
  /** Position in the caller's input of the row the database rejected, when it says which. */
  row?: number;
}

/** What the database said (node-postgres fields, copied onto TypeORM's QueryFailedError too). */
interface DatabaseErrorFields {
  code?: string;
  detail?: string;
  constraint?: string;
  column?: string;
  where?: string;
}

/**
 * A bulk write that failed. Nothing of the call is committed: its own transaction rolled back, or the
 * caller's transaction is left to roll back. Thrown from a batch handler, it makes the Kafka container
 * retry the batch instead of committing offsets.
 */
export class BulkWriteError extends Error {
  override readonly name = 'BulkWriteError';
  readonly table: string;
  readonly operation: WriteKind;
  readonly strategy: BulkStrategyName;
  readonly chunk?: FailedChunk;
  readonly row?: number;
  /** SQLSTATE (PostgreSQL) or the driver's error code. */
  readonly code?: string;
  readonly detail?: string;
  readonly constraint?: string;
  readonly column?: string;

  constructor(context: FailureContext, cause: unknown) {
    const fields = databaseFields(cause);
    super(describe(context, cause, fields), { cause });
    this.table = context.table;
    this.operation = context.operation;
    this.strategy = context.strategy;
    this.chunk = context.chunk;
    this.row = context.row;
    this.code = fields.code;
    this.detail = fields.detail;
    this.constraint = fields.constraint;
    this.column = fields.column;
  }
}

/** Runs one step of a bulk write, turning its failure into a BulkWriteError that says where it was. */
export async function attributeFailure<T>(
  context: FailureContext,
  step: () => Promise<T>,
  rowOf?: (cause: unknown) => number | undefined,
): Promise<T> {
  try {
    return await step();
  } catch (cause) {
    if (cause instanceof BulkWriteError) throw cause;
    throw new BulkWriteError({ ...context, row: rowOf?.(cause) }, cause);
  }
}

/** The chunk as the caller numbered its rows. */
export function failedChunk(chunk: Chunk, sourceIndexes: readonly number[]): FailedChunk {
  return {
    index: chunk.index,
    count: chunk.count,
    firstRow: sourceIndexes[chunk.start],
    lastRow: sourceIndexes[chunk.end - 1],
  };
}

/** The 0-based data line a COPY error's context names ("COPY t, line 3, column c: ..."). */
export function copyErrorLine(cause: unknown): number | undefined {
  const match = /COPY .+?, line (\d+)/.exec(databaseFields(cause).where ?? '');
  return match ? Number(match[1]) - 1 : undefined;
}

function describe(context: FailureContext, cause: unknown, fields: DatabaseErrorFields): string {
  const { table, operation, strategy, chunk, row } = context;
  const where: string[] = [strategy];
  if (chunk) where.push(`chunk ${chunk.index}/${chunk.count}, rows ${chunk.firstRow}..${chunk.lastRow}`);
  if (row !== undefined) where.push(`row ${row}`);
  const reason = cause instanceof Error ? cause.message : String(cause);
  const facts = [
    fields.constraint && `constraint ${fields.constraint}`,
    fields.column && `column ${fields.column}`,
    fields.detail,
  ].filter(Boolean);
  return `bulk ${operation} into ${table} failed (${where.join(', ')}): ${reason}${facts.length ? `; ${facts.join('; ')}` : ''}`;
}

function databaseFields(cause: unknown): DatabaseErrorFields {
  if (typeof cause !== 'object' || cause === null) return {};
  const source: Record<string, unknown> = 'driverError' in cause ? Object(cause.driverError) : cause;
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined);
  return {
    code: text(source.code),
    detail: text(source.detail),
    constraint: text(source.constraint),
    column: text(source.column),
    where: text(source.where),
  };
}
