import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import {
  BulkRepository,
  BulkRepositoryModule,
  getBulkRepositoryToken,
  InjectBulkRepository,
} from '@org/kafka-batch/persistence';
import { createTestDatabase, TestDatabase, TestLogger } from '@org/testing';
import { Reading } from './entities';
import { readings } from './readings';

@Injectable()
class ReadingsWriter {
  constructor(@InjectBulkRepository(Reading, 'telemetry') readonly readings: BulkRepository<Reading>) {}
}

describe('BulkRepositoryModule', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    database = await createTestDatabase('kb_bulk_nest');
    moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: database.url,
          entities: [Reading],
          synchronize: true,
        }),
        TypeOrmModule.forRoot({
          name: 'telemetry',
          type: 'postgres',
          url: database.url,
          autoLoadEntities: true,
        }),
        BulkRepositoryModule.forFeature([Reading]),
        BulkRepositoryModule.forFeature([Reading], 'telemetry', { strategy: 'values' }),
      ],
      providers: [ReadingsWriter],
    })
      .setLogger(new TestLogger())
      .compile();
  });

  afterAll(async () => {
    await moduleRef?.close();
    await database?.drop();
  });

  it('provides a BulkRepository per entity and data source', async () => {
    const bulk = moduleRef.get<BulkRepository<Reading>>(getBulkRepositoryToken(Reading));
    const named = moduleRef.get(ReadingsWriter).readings;

    expect(bulk).toBeInstanceOf(BulkRepository);
    expect(named).toBeInstanceOf(BulkRepository);
    expect(named.dataSource).not.toBe(bulk.dataSource);
    expect(await bulk.insertMany(readings(3))).toMatchObject({ inserted: 3, strategy: 'unnest' });
    // The named repository's defaults apply, and autoLoadEntities picked Reading up from forFeature.
    expect(
      await named.upsertMany(readings(4), { conflictPaths: ['deviceId', 'ts'], update: ['temperature'] }),
    ).toMatchObject({ inserted: 1, updated: 3, strategy: 'values' });
  });
});
