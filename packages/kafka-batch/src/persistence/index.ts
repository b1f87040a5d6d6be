export { BulkRepository } from './bulk-repository';
export { getBulkRepositoryToken, InjectBulkRepository } from './bulk-repository.decorator';
export type { EntityClassOrSchema } from './bulk-repository.decorator';
export { BulkRepositoryModule } from './bulk-repository.module';
export { BulkWriteError } from './bulk-write.error';
export { BULK_STRATEGIES } from './bulk-write.interfaces';
export type { FailedChunk } from './bulk-write.error';
export { postgresArrayParameter } from './postgres-array-parameter';
export type {
  BulkRepositoryOptions,
  BulkStrategyChoice,
  BulkStrategyName,
  BulkWriteOptions,
  BulkWriteResult,
  PropertyPath,
  UpsertOptions,
} from './bulk-write.interfaces';
