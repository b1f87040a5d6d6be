import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { KafkaClientFactory } from './client/kafka-client.factory';
import { ListenerContainerFactory } from './container/listener-container.factory';
import { KafkaListenerRegistry } from './container/listener-container.registry';
import { BatchListenerMetadataAccessor } from './discovery/batch-listener-metadata.accessor';
import { BatchListenerExplorer } from './discovery/batch-listener.explorer';
import { ConfigurableModuleClass } from './kafka-batch.module-definition';
import { KafkaLagMonitor } from './lag/lag.monitor';

/**
 * `KafkaBatchModule.forRoot({ brokers })` or `.forRootAsync({ useFactory, inject })`; add
 * `isGlobal: false` to keep KafkaListenerRegistry and KafkaLagMonitor (and the health and metrics
 * modules, which need them) inside the importing module.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    BatchListenerMetadataAccessor,
    BatchListenerExplorer,
    KafkaClientFactory,
    ListenerContainerFactory,
    KafkaListenerRegistry,
    KafkaLagMonitor,
  ],
  exports: [KafkaListenerRegistry, KafkaLagMonitor, KafkaClientFactory],
})
export class KafkaBatchModule extends ConfigurableModuleClass {}
