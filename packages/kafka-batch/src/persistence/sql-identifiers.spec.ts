import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { Driver } from 'typeorm/driver/Driver';
import type { EntityMetadata } from 'typeorm';
import { quoteIdentifier, quotedColumns, quotedTable } from './sql-identifiers';

/** A driver quoting as TypeORM's do: wrapping the name, doubling nothing. */
const quoting = (open: string, close: string) =>
  ({ escape: (name: string) => `${open}${name}${close}` }) as Driver;
const postgres = quoting('"', '"');

describe('quoteIdentifier', () => {
  it("doubles the dialect's closing quote inside the name", () => {
    expect(quoteIdentifier(postgres, 'odd "quoted" name')).toBe('"odd ""quoted"" name"');
    expect(quoteIdentifier(quoting('`', '`'), 'a`b')).toBe('`a``b`');
    expect(quoteIdentifier(quoting('[', ']'), 'a]b[c')).toBe('[a]]b[c]');
  });

  it('leaves a name without quotes as the driver writes it', () => {
    expect(quoteIdentifier(postgres, 'device_id')).toBe('"device_id"');
    expect(quoteIdentifier(postgres, '')).toBe('""');
  });
});

describe('quotedTable and quotedColumns', () => {
  const connection = { driver: postgres };

  it('quote the schema and the table apart', () => {
    const metadata = { schema: 'my "schema"', tableName: 'a.b "c"', connection } as EntityMetadata;

    expect(quotedTable(metadata)).toBe('"my ""schema"""."a.b ""c"""');
    expect(quotedTable({ ...metadata, schema: undefined } as EntityMetadata)).toBe('"a.b ""c"""');
  });

  it('quote each column', () => {
    const entityMetadata = { connection } as EntityMetadata;
    const columns = ['id', 'seen "at"'].map(
      (databaseName) => ({ databaseName, entityMetadata }) as ColumnMetadata,
    );

    expect(quotedColumns(columns)).toBe('"id", "seen ""at"""');
  });
});
