import { BULK_STRATEGIES, BulkRepository, UpsertOptions } from '@org/kafka-batch/persistence';
import { createTestDatabase, TestDatabase } from '@org/testing';
import { DataSource } from 'typeorm';
import { postgresDataSource } from './data-sources';
import { DeviceState } from './entities';

const STRATEGIES = BULK_STRATEGIES;

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
const state = (deviceId: string, measuredAt: Date | null, temperature: number): DeviceState => ({
  deviceId,
  measuredAt,
  version: null,
  temperature,
  firmware: null,
});

describe('BulkRepository on PostgreSQL: upserts guarded by updateIfNewer', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let bulk: BulkRepository<DeviceState>;

  beforeAll(async () => {
    database = await createTestDatabase('kb_bulk_newer');
    dataSource = await postgresDataSource(database.url, [DeviceState]);
    bulk = new BulkRepository(dataSource, DeviceState);
  });

  beforeEach(() => dataSource.query('TRUNCATE device_state'));

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const stored = () => dataSource.getRepository(DeviceState).find({ order: { deviceId: 'ASC' } });
  const temperatures = async () => (await stored()).map((row) => [row.deviceId, row.temperature]);

  describe.each(STRATEGIES)('with %s', (strategy) => {
    const forward: UpsertOptions<DeviceState> = {
      conflictPaths: ['deviceId'],
      update: ['measuredAt', 'temperature'],
      updateIfNewer: 'measuredAt',
      strategy,
    };

    it('leaves the stored row when an older one arrives after it, and counts it as skipped', async () => {
      await bulk.insertMany([state('d1', at(10), 10)]);

      const result = await bulk.upsertMany([state('d1', at(5), 5)], forward);

      expect(result).toMatchObject({ strategy, inserted: 0, updated: 0, written: 0, skipped: 1 });
      expect(await stored()).toEqual([state('d1', at(10), 10)]);
    });

    it('replaces an older or NULL stored value, skips an equal one and inserts new keys', async () => {
      await bulk.insertMany([
        state('older', at(5), 5),
        state('null', null, 0),
        state('equal', at(7), 7),
        state('newer', at(9), 9),
      ]);

      const result = await bulk.upsertMany(
        [
          state('older', at(6), 6),
          state('null', at(1), 1),
          state('equal', at(7), 70),
          state('newer', at(8), 8),
          state('new', at(2), 2),
        ],
        forward,
      );

      expect(result).toMatchObject({ inserted: 1, updated: 2, written: 3, skipped: 2 });
      expect(await temperatures()).toEqual([
        ['equal', 7],
        ['new', 2],
        ['newer', 9],
        ['null', 1],
        ['older', 6],
      ]);
    });

    it('collapses rows of one key to the newest by the column, not the last', async () => {
      const batch = [
        state('d1', at(10), 10),
        state('d2', null, 0),
        state('d1', at(10), 11),
        state('d2', at(3), 3),
        state('d1', at(5), 5),
        state('d2', null, 1),
      ];

      const result = await bulk.upsertMany(batch, forward);

      expect(result).toMatchObject({ inserted: 2, updated: 0, skipped: 4 });
      expect(await temperatures()).toEqual([
        ['d1', 11],
        ['d2', 3],
      ]);
    });

    it('orders a bigint column as numbers, beyond 2^53, in the call and against the stored row', async () => {
      const versioned = (deviceId: string, version: string, temperature: number): DeviceState => ({
        ...state(deviceId, null, temperature),
        version,
      });
      await bulk.insertMany([versioned('stored', '11', 11)]);

      const result = await bulk.upsertMany(
        [
          versioned('short', '10', 10),
          versioned('short', '9', 9),
          versioned('long', '9007199254740993', 3),
          versioned('long', '9007199254740992', 2),
          versioned('stored', '9', 9),
        ],
        { conflictPaths: ['deviceId'], update: 'all-but-conflict', updateIfNewer: 'version', strategy },
      );

      expect(result).toMatchObject({ inserted: 2, updated: 0, skipped: 3 });
      expect(await temperatures()).toEqual([
        ['long', 3],
        ['short', 10],
        ['stored', 11],
      ]);
    });
  });

  it('control: without updateIfNewer the older row overwrites the newer one', async () => {
    await bulk.insertMany([state('d1', at(10), 10)]);

    await bulk.upsertMany([state('d1', at(5), 5)], {
      conflictPaths: ['deviceId'],
      update: ['measuredAt', 'temperature'],
    });

    expect(await stored()).toEqual([state('d1', at(5), 5)]);
  });

  it('refuses an option it does not know before sending anything', async () => {
    const query = jest.spyOn(dataSource, 'createQueryRunner');
    const options = { conflictPaths: ['deviceId'], update: ['temperature'], onlyIf: { newer: 'measuredAt' } };

    await expect(
      bulk.upsertMany([state('d1', at(1), 1)], options as UpsertOptions<DeviceState>),
    ).rejects.toThrow(
      'upsertMany has no option "onlyIf" (its options: conflictPaths, update, updateIfNewer, strategy, manager)',
    );
    expect(query).not.toHaveBeenCalled();
    query.mockRestore();
  });
});
