import { selectStrategy } from './strategy.selector';

describe('selectStrategy', () => {
  it('uses COPY for large PostgreSQL inserts and UNNEST for small ones and every upsert', () => {
    expect(selectStrategy('auto', 'postgres', 'insert', 4_999, 5_000)).toBe('unnest');
    expect(selectStrategy('auto', 'postgres', 'insert', 5_000, 5_000)).toBe('copy');
    expect(selectStrategy('auto', 'postgres', 'ignore', 5_000, 5_000)).toBe('copy');
    expect(selectStrategy('auto', 'postgres', 'upsert', 100_000, 5_000)).toBe('unnest');
  });

  it('uses VALUES on every other driver', () => {
    expect(selectStrategy('auto', 'better-sqlite3', 'upsert', 10, 5_000)).toBe('values');
    expect(selectStrategy('auto', 'mysql', 'insert', 100_000, 5_000)).toBe('values');
  });

  it('honours an explicit choice the driver supports', () => {
    expect(selectStrategy('values', 'postgres', 'upsert', 10, 5_000)).toBe('values');
    expect(selectStrategy('copy', 'postgres', 'upsert', 10, 5_000)).toBe('copy');
    expect(() => selectStrategy('unnest', 'better-sqlite3', 'insert', 10, 5_000)).toThrow(
      'the "unnest" strategy needs the postgres driver (this data source uses better-sqlite3)',
    );
  });
});
