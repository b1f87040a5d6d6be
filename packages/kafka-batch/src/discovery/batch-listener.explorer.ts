import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, ModuleRef } from '@nestjs/core';
import { ExternalContextCreator } from '@nestjs/core/helpers/external-context-creator';
import type { InstanceWrapper } from '@nestjs/core/injector/instance-wrapper';
import { resolveListenerOptions } from '../config/listener-options.resolver';
import type { ListenerInvoker } from '../batch/batch.runner';
import { KafkaListenerRegistry } from '../container/listener-container.registry';
import { ListenerContainerFactory } from '../container/listener-container.factory';
import type { KafkaBatchModuleOptions } from '../interfaces/kafka-batch-module-options.interface';
import { KAFKA_BATCH_CONTEXT } from '../kafka-batch.constants';
import type { KafkaRebalanceListener } from '../membership/rebalance-listener.interface';
import { KAFKA_BATCH_MODULE_OPTIONS } from '../kafka-batch.module-definition';
import { BatchListenerMetadataAccessor } from './batch-listener-metadata.accessor';
import { KafkaBatchParamsFactory } from './kafka-batch-params';

/**
 * Finds @BatchListener methods on every provider and controller at startup, validates their
 * options (a bad option fails the application start) and registers one container per listener.
 */
@Injectable()
export class BatchListenerExplorer implements OnModuleInit {
  private readonly paramsFactory = new KafkaBatchParamsFactory();

  constructor(
    private readonly discoveryService: DiscoveryService,
    private readonly metadataScanner: MetadataScanner,
    private readonly metadataAccessor: BatchListenerMetadataAccessor,
    private readonly externalContextCreator: ExternalContextCreator,
    private readonly registry: KafkaListenerRegistry,
    private readonly containers: ListenerContainerFactory,
    private readonly moduleRef: ModuleRef,
    @Inject(KAFKA_BATCH_MODULE_OPTIONS) private readonly moduleOptions: KafkaBatchModuleOptions,
  ) {}

  onModuleInit(): void {
    const wrappers: InstanceWrapper[] = [
      ...this.discoveryService.getProviders(),
      ...this.discoveryService.getControllers(),
    ];
    for (const wrapper of wrappers) {
      const { instance } = wrapper;
      // Request-scoped providers have no instance to bind a long-running listener to.
      if (!instance || typeof instance !== 'object' || !wrapper.isDependencyTreeStatic()) continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.metadataScanner.getAllMethodNames(prototype)) {
        this.explore(instance as Record<string, (...args: unknown[]) => unknown>, methodName);
      }
    }
  }

  private explore(instance: Record<string, (...args: unknown[]) => unknown>, methodName: string): void {
    const method = instance[methodName];
    const options = this.metadataAccessor.getListenerOptions(method);
    if (!options) return;
    const id = options.id ?? `${instance.constructor.name}.${methodName}`;
    const resolved = resolveListenerOptions(id, options, this.moduleOptions);
    const invoke = this.externalContextCreator.create(
      instance,
      method,
      methodName,
      ROUTE_ARGS_METADATA,
      this.paramsFactory,
      undefined,
      undefined,
      undefined,
      KAFKA_BATCH_CONTEXT,
    ) as ListenerInvoker;
    const rebalanceListener = resolved.rebalanceListener
      ? this.moduleRef.get<KafkaRebalanceListener>(resolved.rebalanceListener, { strict: false })
      : undefined;
    this.registry.register(this.containers.create(resolved, invoke, rebalanceListener));
  }
}
