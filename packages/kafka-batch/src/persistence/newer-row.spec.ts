import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm';
import { guardClause, newestWins, orderingOf } from './newer-row';
import { conflictClause } from './postgres-sql';
import type { UpsertOperation } from './write.operation';

const metadata = {
  name: 'DeviceState',
  tableName: 'device "state"',
  connection: { driver: { escape: (name: string) => `"${name}"` } },
  columns: [] as ColumnMetadata[],
} as unknown as EntityMetadata;

function column(propertyPath: string, databaseName: string, type: unknown): ColumnMetadata {
  const made = { propertyPath, databaseName, type, entityMetadata: metadata } as unknown as ColumnMetadata;
  metadata.columns.push(made);
  return made;
}

const deviceId = column('deviceId', 'device_id', 'text');
const measuredAt = column('measuredAt', 'measured "at"', 'timestamptz');
const version = column('version', 'version', 'bigint');
const temperature = column('temperature', 'temperature', 'double precision');

const forward: UpsertOperation = {
  kind: 'upsert',
  conflictColumns: [deviceId],
  updateColumns: [measuredAt, temperature],
  updateIfNewer: measuredAt,
};

describe('the SQL of updateIfNewer', () => {
  const condition =
    ' WHERE "device ""state"""."measured ""at""" < EXCLUDED."measured ""at""" OR "device ""state"""."measured ""at""" IS NULL';

  it('compares the stored column, qualified by its table, with the incoming one', () => {
    expect(guardClause(forward)).toBe(condition);
    expect(guardClause({ ...forward, updateIfNewer: undefined })).toBe('');
    expect(guardClause({ kind: 'ignore' })).toBe('');
  });

  it('ends the ON CONFLICT ... DO UPDATE clause, and is left out where nothing is updated', () => {
    expect(conflictClause(forward, [deviceId, measuredAt, temperature])).toBe(
      ' ON CONFLICT ("device_id") DO UPDATE SET "measured ""at""" = EXCLUDED."measured ""at""", ' +
        `"temperature" = EXCLUDED."temperature"${condition}`,
    );
    expect(conflictClause(forward, [deviceId])).toBe(' ON CONFLICT ("device_id") DO NOTHING');
  });
});

describe('orderingOf', () => {
  it('accepts numbers, dates and timestamps, and nothing else', () => {
    expect([measuredAt, version, temperature, deviceId].map(orderingOf)).toEqual([
      'time',
      'number',
      'number',
      undefined,
    ]);
    expect(orderingOf(column('at', 'at', Date))).toBe('time');
    expect(orderingOf(column('n', 'n', Number))).toBe('number');
    expect(orderingOf(column('doc', 'doc', 'jsonb'))).toBeUndefined();
  });
});

describe('newestWins', () => {
  /** Which of two rows of one key survives when `values[1]` comes after `values[0]`. */
  const kept = (of: ColumnMetadata, values: unknown[]) => (newestWins(of, values)(1, 0) ? 1 : 0);

  it('keeps the greater number, and of equal ones the later', () => {
    expect(kept(temperature, [1.5, 2])).toBe(1);
    expect(kept(temperature, [2, 1.5])).toBe(0);
    expect(kept(temperature, [2, 2])).toBe(1);
  });

  it('orders integers exactly at any size, as bigint columns bind them, and decimals as numbers', () => {
    expect(kept(version, ['10', '9'])).toBe(0);
    expect(kept(version, ['9007199254740992', '9007199254740993'])).toBe(1);
    expect(kept(version, ['9007199254740993', '9007199254740992'])).toBe(0);
    expect(kept(version, [10n, 9])).toBe(0);
    expect(kept(version, ['1.25', '1.5'])).toBe(1);
  });

  it('orders dates by instant and fixed-width date text as text', () => {
    expect(kept(measuredAt, [new Date(2_000), new Date(1_000)])).toBe(0);
    expect(kept(measuredAt, [new Date(1_000), new Date(1_000)])).toBe(1);
    expect(kept(measuredAt, ['2026-01-01 00:00:09.000', '2026-01-01 00:00:10.000'])).toBe(1);
  });

  it('takes NULL as older than any value', () => {
    expect(kept(measuredAt, [null, new Date(0)])).toBe(1);
    expect(kept(measuredAt, [new Date(0), null])).toBe(0);
    expect(kept(measuredAt, [undefined, null])).toBe(1);
  });

  it('refuses values it cannot order, naming the column', () => {
    expect(() => kept(measuredAt, [new Date(0), () => 'now()'])).toThrow(
      /^updateIfNewer cannot order the values .* of DeviceState\.measuredAt$/,
    );
    expect(() => kept(temperature, [1, 'warm'])).toThrow(/cannot order/);
  });
});
