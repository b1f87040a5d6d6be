import type * as NestTypeOrm from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, ExternalContextCreator, MetadataScanner, ModuleRef } from '@nestjs/core';
import { KafkaBatchConfigError, resolveListenerOptions } from '../config/listener-options.resolver';
import { validateModuleOptions } from '../config/module-options.validator';
import { KafkaListenerRegistry } from '../container/listener-container.registry';
import { ListenerContainerFactory } from '../container/listener-container.factory';
import type { BatchListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { KafkaBatchModuleOptions } from '../interfaces/kafka-batch-module-options.interface';
import type { KafkaRebalanceListener } from '../membership/rebalance-listener.interface';
import { KAFKA_BATCH_MODULE_OPTIONS } from '../kafka-batch.module-definition';
import { BatchListenerMetadataAccessor } from './batch-listener-metadata.accessor';
import { createListenerInvoker } from './listener-invoker.factory';

type ProviderWrapper = ReturnType<DiscoveryService['getProviders']>[number];
type ListenerHost = Record<string, (...args: unknown[]) => unknown>;

/**
 * Finds @BatchListener methods on every provider and controller at startup, validates their
 * options (a bad option fails the application start) and registers one container per listener.
 */
@Injectable()
export class BatchListenerExplorer implements OnModuleInit {
  private readonly logger = new Logger(BatchListenerExplorer.name);

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
    validateModuleOptions(this.moduleOptions);
    const wrappers: ProviderWrapper[] = [
      ...this.discoveryService.getProviders(),
      ...this.discoveryService.getControllers(),
    ];
    for (const wrapper of wrappers) {
      const { instance } = wrapper;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const methodName of this.metadataScanner.getAllMethodNames(prototype)) {
        const options = this.metadataAccessor.getListenerOptions((instance as ListenerHost)[methodName]);
        if (!options) continue;
        if (wrapper.isDependencyTreeStatic()) this.register(instance as ListenerHost, methodName, options);
        else this.warnNotStatic(instance, methodName);
      }
    }
    this.checkOverriddenIds();
  }

  /** Options for a listener id that no listener has are a typo, not something to ignore. */
  private checkOverriddenIds(): void {
    const ids = this.registry.all().map((container) => container.options.id);
    const unknown = Object.keys(this.moduleOptions.listeners ?? {}).filter((id) => !ids.includes(id));
    if (unknown.length > 0)
      throw new KafkaBatchConfigError(
        `KafkaBatchModule option "listeners": no @BatchListener has the id ${unknown.map((id) => `"${id}"`).join(', ')} (listener ids: ${ids.map((id) => `"${id}"`).join(', ') || 'none'})`,
      );
  }

  /** A request-scoped provider (or one depending on one) has no instance a listener could run on. */
  private warnNotStatic(instance: object, methodName: string): void {
    this.logger.warn(
      `Cannot register @BatchListener "${instance.constructor.name}.${methodName}" because it is defined in a non static provider (request-scoped, or depending on a request-scoped provider): it will not consume`,
    );
  }

  private register(instance: ListenerHost, methodName: string, options: BatchListenerOptions): void {
    const id = options.id ?? `${instance.constructor.name}.${methodName}`;
    const resolved = resolveListenerOptions(id, options, this.moduleOptions);
    const invoke = createListenerInvoker(this.externalContextCreator, instance, methodName);
    const rebalanceListener = resolved.rebalanceListener
      ? this.moduleRef.get<KafkaRebalanceListener>(resolved.rebalanceListener, { strict: false })
      : undefined;
    const dataSource = resolved.exactlyOnce && this.typeOrmDataSource(id, resolved.exactlyOnce.dataSource);
    this.registry.register(this.containers.create(resolved, invoke, rebalanceListener, dataSource));
  }

  /** @nestjs/typeorm is an optional peer: loaded for listeners in exactly-once mode only. */
  private typeOrmDataSource(listenerId: string, name: string): DataSource {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use only
      const { getDataSourceToken } = require('@nestjs/typeorm') as typeof NestTypeOrm;
      return this.moduleRef.get<DataSource>(getDataSourceToken(name), { strict: false });
    } catch (err) {
      throw new KafkaBatchConfigError(
        `@BatchListener "${listenerId}": option "exactlyOnce.dataSource" must name a TypeORM data source of the application (TypeOrmModule.forRoot), got "${name}": ${(err as Error).message.split('\n')[0]}`,
      );
    }
  }
}
