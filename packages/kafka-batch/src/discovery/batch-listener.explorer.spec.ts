import { Injectable, LoggerService, Module, Provider, Scope } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaListenerRegistry } from '../container/listener-container.registry';
import type { KafkaBatchModuleOptions } from '../interfaces/kafka-batch-module-options.interface';
import { KafkaBatchModule } from '../kafka-batch.module';
import { BatchListener } from './batch-listener.decorator';

/** Keeps what Nest and the library log instead of printing it. */
class CapturingLogger implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  warn(message: string): void {
    this.warnings.push(message);
  }
}

@Injectable({ scope: Scope.REQUEST })
class RequestScopedListener {
  @BatchListener({ topics: ['t'], groupId: 'g', autoStartup: false })
  onBatch(): void {}
}

@Injectable({ scope: Scope.REQUEST })
class RequestContext {}

@Injectable()
class ListenerNeedingRequestContext {
  constructor(readonly context: RequestContext) {}

  @BatchListener({ topics: ['t'], groupId: 'g', autoStartup: false })
  onReadings(): void {}
}

@Injectable()
class StaticListener {
  @BatchListener({ topics: ['t'], groupId: 'g', autoStartup: false })
  onBatch(): void {}
}

async function start(providers: Provider[], moduleOptions: Partial<KafkaBatchModuleOptions> = {}) {
  @Module({
    imports: [KafkaBatchModule.forRoot({ brokers: 'localhost:9', ...moduleOptions })],
    providers,
  })
  class TestModule {}
  const logger = new CapturingLogger();
  const app = await NestFactory.createApplicationContext(TestModule, { logger, abortOnError: false });
  return { app, logger, registry: app.get(KafkaListenerRegistry) };
}

describe('BatchListenerExplorer', () => {
  it('warns, naming the class and the method, about listeners it cannot register on non-static providers', async () => {
    const { app, logger, registry } = await start([
      RequestScopedListener,
      RequestContext,
      ListenerNeedingRequestContext,
      StaticListener,
    ]);
    try {
      expect(registry.all().map((container) => container.options.id)).toEqual(['StaticListener.onBatch']);
      expect(logger.warnings.filter((warning) => warning.includes('@BatchListener'))).toEqual([
        expect.stringContaining(
          'Cannot register @BatchListener "RequestScopedListener.onBatch" because it is defined in a non static provider',
        ),
        expect.stringContaining(
          'Cannot register @BatchListener "ListenerNeedingRequestContext.onReadings" because it is defined in a non static provider',
        ),
      ]);
    } finally {
      await app.close();
    }
  });

  it('fails the start on a module-level rdkafka property the library sets', async () => {
    await expect(start([StaticListener], { rdkafka: { 'enable.auto.commit': true } })).rejects.toThrow(
      'KafkaBatchModule: rdkafka property "enable.auto.commit" is set by the library',
    );
  });
});
