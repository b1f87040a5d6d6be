import { Inject } from '@nestjs/common';
import { getDataSourcePrefix } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions, EntitySchema, ObjectLiteral } from 'typeorm';

/** An entity class or schema, as `TypeOrmModule.forFeature` takes it. */
export type EntityClassOrSchema = (abstract new (...args: never[]) => ObjectLiteral) | EntitySchema;

/** The injection token of an entity's BulkRepository, per data source (like `getRepositoryToken`). */
export function getBulkRepositoryToken(
  entity: EntityClassOrSchema,
  dataSource?: DataSource | DataSourceOptions | string,
): string {
  const name =
    entity instanceof EntitySchema ? (entity.options.target?.name ?? entity.options.name) : entity.name;
  return `${getDataSourcePrefix(dataSource)}${name}BulkRepository`;
}

/** Injects the BulkRepository that `BulkRepositoryModule.forFeature([entity], dataSource)` provides. */
export const InjectBulkRepository = (
  entity: EntityClassOrSchema,
  dataSource?: DataSource | DataSourceOptions | string,
): PropertyDecorator & ParameterDecorator => Inject(getBulkRepositoryToken(entity, dataSource));
