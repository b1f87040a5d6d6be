import type { Driver } from 'typeorm/driver/Driver';
import { Column, CreateDateColumn, DataSource, Entity, EntityMetadata, PrimaryColumn } from 'typeorm';
import type { UpsertOptions } from './bulk-write.interfaces';
import { resolveUpsert } from './upsert.options';

@Entity()
class Device {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'datetime', nullable: true })
  seenAt!: Date | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'text' })
  firmware!: string;

  @CreateDateColumn()
  createdAt?: Date;
}

describe('resolveUpsert', () => {
  let dataSource: DataSource;
  let metadata: EntityMetadata;
  const forward: UpsertOptions<Device> = {
    conflictPaths: ['id'],
    update: ['seenAt'],
    updateIfNewer: 'seenAt',
  };
  const resolve = (options: UpsertOptions<Device>, driver = dataSource.driver) =>
    resolveUpsert(metadata, driver, options);

  beforeAll(async () => {
    dataSource = await new DataSource({
      type: 'better-sqlite3',
      database: ':memory:',
      entities: [Device],
    }).initialize();
    metadata = dataSource.getMetadata(Device);
  });

  afterAll(() => dataSource?.destroy());

  it('resolves property paths to columns, the guard included', () => {
    const operation = resolve(forward);

    expect(operation).toMatchObject({ kind: 'upsert', updateIfNewer: { propertyName: 'seenAt' } });
    expect(operation.conflictColumns.map((column) => column.propertyName)).toEqual(['id']);
    expect(resolve({ ...forward, update: 'all-but-conflict' }).updateIfNewer).toBe(operation.updateIfNewer);
    expect(resolve({ conflictPaths: ['id'], update: ['firmware'] }).updateIfNewer).toBeUndefined();
  });

  it('refuses an option it does not know, listing those it has', () => {
    const options = { ...forward, onlyIf: { newer: 'seenAt' } } as UpsertOptions<Device>;

    expect(() => resolve(options)).toThrow(
      'upsertMany has no option "onlyIf" (its options: conflictPaths, update, updateIfNewer, strategy, manager)',
    );
  });

  it('names the option whose property is not a mapped column', () => {
    expect(() => resolve({ ...forward, updateIfNewer: 'seen' as 'seenAt' })).toThrow(
      'upsertMany option updateIfNewer: Device has no column at property path "seen"',
    );
    expect(() => resolve({ ...forward, conflictPaths: ['key' as 'id'] })).toThrow(
      'upsertMany option conflictPaths: Device has no column at property path "key"',
    );
    expect(() => resolve({ ...forward, conflictPaths: [] })).toThrow(
      'upsertMany needs at least one conflict path',
    );
  });

  it('refuses a column that does not order alike in JavaScript and SQL', () => {
    expect(() => resolve({ ...forward, update: ['firmware'], updateIfNewer: 'firmware' })).toThrow(
      'upsertMany option updateIfNewer: Device.firmware is a text column; it must hold numbers, dates or timestamps',
    );
  });

  it('refuses a conflict path, and a column the upsert does not update', () => {
    expect(() =>
      resolve({ conflictPaths: ['id', 'version'], update: 'all-but-conflict', updateIfNewer: 'version' }),
    ).toThrow('upsertMany option updateIfNewer: "version" is a conflict path');
    expect(() => resolve({ ...forward, update: ['firmware'] })).toThrow(
      'upsertMany option updateIfNewer: "seenAt" must be among the updated columns',
    );
    // all-but-conflict leaves the creation date alone.
    expect(() => resolve({ ...forward, update: 'all-but-conflict', updateIfNewer: 'createdAt' })).toThrow(
      '"createdAt" must be among the updated columns',
    );
  });

  it('refuses a driver without ON CONFLICT ... DO UPDATE ... WHERE, naming those that have it', () => {
    const mysql = { options: { type: 'mysql' }, supportedUpsertTypes: ['on-duplicate-key-update'] } as Driver;

    expect(() => resolve(forward, mysql)).toThrow(
      'upsertMany option updateIfNewer: it needs ON CONFLICT ... DO UPDATE ... WHERE, which the mysql driver does not have; ' +
        'it works on postgres (strategies unnest, values and copy), cockroachdb and the SQLite drivers (values)',
    );
    expect(resolve({ conflictPaths: ['id'], update: ['seenAt'] }, mysql)).toMatchObject({ kind: 'upsert' });
  });
});
