import { BULK_STRATEGIES, BulkRepository, BulkWriteError } from '@org/kafka-batch/persistence';
import { createTestDatabase, TestDatabase } from '@org/testing';
import { inspect } from 'node:util';
import { DataSource } from 'typeorm';
import { postgresDataSource } from './data-sources';
import { Reading } from './entities';
import { readings } from './readings';

const STRATEGIES = BULK_STRATEGIES;

/** In every row written: a device id, a firmware, and one reading's unreadable temperature. */
const PRIVATE = 'Private-7f3a';

/** Twenty rows, each holding PRIVATE, and a fault at row 13. */
function rowsFailingAt13(fault: Partial<Reading>): Reading[] {
  const rows = readings(20).map((row, i) => ({ ...row, deviceId: `${PRIVATE}-${i}`, firmware: PRIVATE }));
  Object.assign(rows[13], fault);
  return rows;
}

/** Every form in which an error reaches a log line or a dead-letter header. */
function renderings(error: unknown): Record<string, string> {
  const { message, stack } = error as Error;
  return {
    inspect: inspect(error, { depth: Infinity }),
    string: String(error),
    stack: stack ?? '',
    message,
    json: JSON.stringify(error),
  };
}

const FAULTS = {
  'a CHECK violation': {
    fault: { temperature: 1000 },
    expected: { code: '23514', constraint: 'reading_temperature_range' },
  },
  'a value PostgreSQL cannot read': {
    fault: { temperature: PRIVATE as unknown as number },
    expected: { code: '22P02' },
  },
};

describe('BulkRepository on PostgreSQL: a failed write tells where it failed, never the values', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let bulk: BulkRepository<Reading>;

  beforeAll(async () => {
    database = await createTestDatabase('kb_write_privacy');
    dataSource = await postgresDataSource(database.url, [Reading]);
    await dataSource.query(
      'ALTER TABLE reading ADD CONSTRAINT reading_temperature_range CHECK (temperature BETWEEN -100 AND 100)',
    );
    bulk = new BulkRepository(dataSource, Reading);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  describe.each(STRATEGIES)('with %s', (strategy) => {
    it.each(Object.entries(FAULTS))('%s', async (_, { fault, expected }) => {
      const error = await bulk.insertMany(rowsFailingAt13(fault), { strategy }).catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BulkWriteError);
      for (const [form, text] of Object.entries(renderings(error))) {
        expect({ form, leaks: text.includes(PRIVATE) }).toEqual({ form, leaks: false });
      }
      expect(error).toMatchObject({ table: '"reading"', operation: 'insert', strategy, ...expected });
      expect(error).toMatchObject({ chunk: { firstRow: 0, lastRow: 19 } });
      expect((error as BulkWriteError).message).toContain(`SQLSTATE ${expected.code}`);
    });
  });

  it('keeps the database’s detail and the bound values with KAFKA_BATCH_LOG_BOUND_VALUES=true', async () => {
    process.env.KAFKA_BATCH_LOG_BOUND_VALUES = 'true';
    try {
      const error = await bulk
        .insertMany(rowsFailingAt13({ temperature: 1000 }), { strategy: 'unnest' })
        .catch((e: unknown) => e);

      expect((error as BulkWriteError).message).toContain(`Failing row contains`);
      expect((error as BulkWriteError).message).toContain(`${PRIVATE}-13`);
      expect(inspect(error, { depth: Infinity })).toContain('parameters');
    } finally {
      delete process.env.KAFKA_BATCH_LOG_BOUND_VALUES;
    }
  });
});
