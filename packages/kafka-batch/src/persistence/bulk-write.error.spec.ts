import { inspect } from 'node:util';
import {
  attributeFailure,
  BOUND_VALUES_SWITCH,
  BulkWriteError,
  copyErrorLine,
  failedChunk,
} from './bulk-write.error';

/** A row's device id: personal data that must stay out of what the error shows. */
const DEVICE = 'device-of-Jane-Doe';

/** TypeORM's QueryFailedError as it wraps a node-postgres error: the statement, its bound values and the driver's error. */
function queryFailed(message: string, fields: Record<string, string>) {
  const driverError = Object.assign(new Error(message), fields);
  return Object.assign(new Error(message), {
    name: 'QueryFailedError',
    query: 'INSERT INTO "reading" ("device_id", "ts") SELECT * FROM UNNEST($1::text[], $2::timestamptz[])',
    parameters: [`{${DEVICE}}`, '{"2026-01-01 00:00:00+00"}'],
    driverError,
    ...fields,
  });
}

const DETAIL = `Key (device_id, ts)=(${DEVICE}, 2026-01-01 00:00:00+00) already exists.`;
const duplicate = queryFailed('duplicate key value violates unique constraint "reading_device_ts"', {
  code: '23505',
  constraint: 'reading_device_ts',
  detail: DETAIL,
});

const chunk = failedChunk(
  { index: 3, count: 7, start: 1_000, end: 1_500 },
  Array.from({ length: 3_500 }, (_, i) => i),
);
const upsert = { table: '"reading"', operation: 'upsert', strategy: 'unnest', chunk } as const;

describe('BulkWriteError', () => {
  afterEach(() => delete process.env[BOUND_VALUES_SWITCH]);

  it('names the table, the chunk in the caller’s numbering, the SQLSTATE and what the database reported', () => {
    const error = new BulkWriteError(upsert, duplicate);

    expect(error.message).toBe(
      'bulk upsert into "reading" failed (unnest, chunk 3/7, rows 1000..1499): duplicate key value violates unique ' +
        'constraint "reading_device_ts" (SQLSTATE 23505, constraint reading_device_ts)',
    );
    expect(error).toMatchObject({ code: '23505', constraint: 'reading_device_ts', detail: undefined });
  });

  it('shows no bound value, statement or detail, however it is printed', () => {
    const error = new BulkWriteError(upsert, duplicate);
    const printed = [inspect(error, { depth: Infinity }), String(error), error.stack, JSON.stringify(error)];

    for (const text of printed) {
      expect(text).not.toContain(DEVICE);
      expect(text).not.toContain('UNNEST');
    }
    expect(error.cause).toMatchObject({ name: 'QueryFailedError', code: '23505' });
    expect((error.cause as Error).stack).toMatch(/^QueryFailedError: duplicate key value .*\n {4}at /);
  });

  it('masks the input PostgreSQL quotes in a data exception, quotes of its own included', () => {
    const unreadable = queryFailed(`invalid input syntax for type double precision: "${DEVICE} "said" hi"`, {
      code: '22P02',
    });

    const error = new BulkWriteError({ table: 't', operation: 'insert', strategy: 'values' }, unreadable);

    expect(error.message).toBe(
      'bulk insert into t failed (values): invalid input syntax for type double precision: "***" (SQLSTATE 22P02)',
    );
    expect(inspect(error, { depth: Infinity })).not.toContain(DEVICE);
  });

  it(`keeps the detail and the driver's error with ${BOUND_VALUES_SWITCH}=true`, () => {
    process.env[BOUND_VALUES_SWITCH] = 'true';

    const error = new BulkWriteError(upsert, duplicate);

    expect(error.message).toContain(
      `(SQLSTATE 23505, constraint reading_device_ts); Key (device_id, ts)=(${DEVICE}`,
    );
    expect(error).toMatchObject({ detail: DETAIL, cause: duplicate });
  });

  it('reads the fields of a TypeORM QueryFailedError from its driver error', () => {
    const error = new BulkWriteError(
      { table: 't', operation: 'insert', strategy: 'values' },
      { message: 'failed', driverError: { code: '23502', column: 'device_id' } },
    );
    expect(error).toMatchObject({ code: '23502', column: 'device_id' });
    expect(error.cause).toBeUndefined();
  });

  it('wraps a failing step once, and attributes the row a COPY error names', async () => {
    const context = { table: 't', operation: 'insert', strategy: 'copy' } as const;
    const copyError = Object.assign(new Error('invalid input syntax'), {
      where: 'COPY t, line 8, column x: "warm"',
    });
    const rowOf = (cause: unknown) => [10, 11, 12, 13, 14, 15, 16, 17][copyErrorLine(cause) ?? -1];

    const error = await attributeFailure(context, () => Promise.reject(copyError), rowOf).catch(
      (e: unknown) => e,
    );
    const rethrown = await attributeFailure(context, () => Promise.reject(error)).catch((e: unknown) => e);

    expect(error).toMatchObject({ row: 17 });
    expect(rethrown).toBe(error);
    expect(copyErrorLine(new Error('no context'))).toBeUndefined();
  });
});
