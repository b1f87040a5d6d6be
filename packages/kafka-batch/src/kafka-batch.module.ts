import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { KafkaListenerRegistry } from './container/listener-container.registry';
import { BatchListenerMetadataAccessor } from './discovery/batch-listener-metadata.accessor';
import { BatchListenerExplorer } from './discovery/batch-listener.explorer';
import { ConfigurableModuleClass } from './kafka-batch.module-definition';

/**
 * `KafkaBatchModule.forRoot({ brokers })` or `.forRootAsync({ useFactory, inject })`; add
 * `isGlobal: true` to make KafkaListenerRegistry injectable everywhere.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [BatchListenerMetadataAccessor, BatchListenerExplorer, KafkaListenerRegistry],
  exports: [KafkaListenerRegistry],
})
export class KafkaBatchModule extends ConfigurableModuleClass {}
