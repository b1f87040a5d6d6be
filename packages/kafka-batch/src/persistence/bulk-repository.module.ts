import { DynamicModule, Module, Provider } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource, DataSourceOptions } from 'typeorm';
import type { BulkRepositoryOptions } from './bulk-write.interfaces';
import { BulkRepository } from './bulk-repository';
import { EntityClassOrSchema, getBulkRepositoryToken } from './bulk-repository.decorator';

/**
 * `BulkRepositoryModule.forFeature([Reading])` next to `TypeOrmModule.forRoot(...)`: provides
 * `@InjectBulkRepository(Reading)`. It imports `TypeOrmModule.forFeature` for the same entities, so
 * `autoLoadEntities` sees them too.
 */
@Module({})
export class BulkRepositoryModule {
  static forFeature(
    entities: EntityClassOrSchema[],
    dataSource?: DataSource | DataSourceOptions | string,
    options: BulkRepositoryOptions = {},
  ): DynamicModule {
    const providers: Provider[] = entities.map((entity) => ({
      provide: getBulkRepositoryToken(entity, dataSource),
      useFactory: (source: DataSource) => new BulkRepository(source, entity, options),
      inject: [getDataSourceToken(dataSource)],
    }));
    return {
      module: BulkRepositoryModule,
      imports: [TypeOrmModule.forFeature(entities, dataSource)],
      providers,
      exports: providers,
    };
  }
}
