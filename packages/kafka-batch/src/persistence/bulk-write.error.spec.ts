import { attributeFailure, BulkWriteError, copyErrorLine, failedChunk } from './bulk-write.error';

describe('BulkWriteError', () => {
  const pgError = Object.assign(
    new Error('duplicate key value violates unique constraint "reading_device_ts"'),
    {
      code: '23505',
      constraint: 'reading_device_ts',
      detail: 'Key (device_id, ts)=(d, 2026-01-01 00:00:00+00) already exists.',
    },
  );

  it('names the table, the chunk in the caller’s numbering and what the database reported', () => {
    const chunk = failedChunk(
      { index: 3, count: 7, start: 1_000, end: 1_500 },
      Array.from({ length: 3_500 }, (_, i) => i),
    );
    const error = new BulkWriteError(
      { table: '"reading"', operation: 'upsert', strategy: 'unnest', chunk },
      pgError,
    );

    expect(error.message).toBe(
      'bulk upsert into "reading" failed (unnest, chunk 3/7, rows 1000..1499): duplicate key value violates unique ' +
        'constraint "reading_device_ts"; constraint reading_device_ts; ' +
        'Key (device_id, ts)=(d, 2026-01-01 00:00:00+00) already exists.',
    );
    expect(error).toMatchObject({ code: '23505', constraint: 'reading_device_ts', cause: pgError });
  });

  it('reads the fields of a TypeORM QueryFailedError from its driver error', () => {
    const error = new BulkWriteError(
      { table: 't', operation: 'insert', strategy: 'values' },
      { message: 'failed', driverError: { code: '23502', column: 'device_id' } },
    );
    expect(error).toMatchObject({ code: '23502', column: 'device_id' });
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
