import { messageOf, STACK_FRAME } from '../common/errors';
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
 * `true` puts back what a failed write leaves out by default: the database's detail in the message
 * and `detail`, its unmasked message, and the driver's error as `cause` (TypeORM's QueryFailedError,
 * with the statement and every bound value). For debugging on data that whoever reads the logs and
 * dead-letter topics may see; an environment variable, read when an error is made, so an operator
 * turns it on for one instance without a change to the code.
 */
export const BOUND_VALUES_SWITCH = 'KAFKA_BATCH_LOG_BOUND_VALUES';

/**
 * A bulk write that failed. Nothing of the call is committed: its own transaction rolled back, or the
 * caller's transaction is left to roll back. Thrown from a batch handler, it makes the Kafka container
 * retry the batch instead of committing offsets.
 *
 * It travels to logs and dead-letter headers, so it says where the write failed and why, never with
 * what: no bound values (a batch's rows are personal data in many deployments), no detail (PostgreSQL
 * quotes the failing row or key there), and, in a data exception, the input PostgreSQL quotes is masked.
 * Its `cause` keeps the driver error's name, code and frames only; see BOUND_VALUES_SWITCH.
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
  readonly constraint?: string;
  readonly column?: string;
  /** Only with KAFKA_BATCH_LOG_BOUND_VALUES=true: it quotes the row or key the database rejected. */
  readonly detail?: string;

  constructor(context: FailureContext, cause: unknown) {
    const fields = databaseFields(cause);
    const withValues = process.env[BOUND_VALUES_SWITCH] === 'true';
    const kept = withValues ? cause : withoutValues(cause, fields.code);
    super(describe(context, cause, fields, withValues), kept === undefined ? undefined : { cause: kept });
    this.table = context.table;
    this.operation = context.operation;
    this.strategy = context.strategy;
    this.chunk = context.chunk;
    this.row = context.row;
    this.code = fields.code;
    this.constraint = fields.constraint;
    this.column = fields.column;
    if (withValues) this.detail = fields.detail;
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

function describe(
  context: FailureContext,
  cause: unknown,
  fields: DatabaseErrorFields,
  withValues: boolean,
): string {
  const { table, operation, strategy, chunk, row } = context;
  const where: string[] = [strategy];
  if (chunk) where.push(`chunk ${chunk.index}/${chunk.count}, rows ${chunk.firstRow}..${chunk.lastRow}`);
  if (row !== undefined) where.push(`row ${row}`);
  const reason = withValues ? messageOf(cause) : maskedInput(messageOf(cause), fields.code);
  const facts = [
    fields.code && `SQLSTATE ${fields.code}`,
    fields.constraint && `constraint ${fields.constraint}`,
    fields.column && `column ${fields.column}`,
  ].filter(Boolean);
  const detail = withValues && fields.detail ? `; ${fields.detail}` : '';
  return `bulk ${operation} into ${table} failed (${where.join(', ')}): ${reason}${facts.length ? ` (${facts.join(', ')})` : ''}${detail}`;
}

/**
 * In a data exception (SQLSTATE class 22: invalid input syntax, value out of range…) PostgreSQL
 * quotes the input it could not take, a bound value; from the first quote to the last, as the
 * value may hold quotes of its own. Other messages quote names (constraints, columns, tables).
 */
function maskedInput(message: string, code: string | undefined): string {
  return code?.startsWith('22') ? message.replace(/"[\s\S]*"/, '"***"') : message;
}

/**
 * The cause as its name, masked message, code and frames: not TypeORM's QueryFailedError itself,
 * whose `parameters` (every bound value), `query` and `driverError` (with the detail and the COPY
 * line) any logger inspecting the error would print.
 */
function withoutValues(cause: unknown, code: string | undefined): Error | undefined {
  if (!(cause instanceof Error)) return undefined;
  const summary = Object.assign(new Error(maskedInput(cause.message, code)), code ? { code } : {});
  summary.name = cause.name;
  const frames = (cause.stack ?? '').split('\n').filter((line) => STACK_FRAME.test(line));
  summary.stack = [`${summary.name}: ${summary.message}`, ...frames].join('\n');
  return summary;
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
