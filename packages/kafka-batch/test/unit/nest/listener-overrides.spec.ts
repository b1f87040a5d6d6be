import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { ConsumerEvents } from '../../../src/client/consumer.client';
import { KafkaClientFactory } from '../../../src/client/kafka-client.factory';
import { KafkaListenerRegistry } from '../../../src/container/listener-container.registry';
import { BatchListener } from '../../../src/discovery/batch-listener.decorator';
import type { KafkaBatchModuleOptions } from '../../../src/interfaces/kafka-batch-module-options.interface';
import { KafkaBatchModule } from '../../../src/kafka-batch.module';
import { FakeClock } from '../fakes/fake.clock';
import { FakeConsumer } from '../fakes/fake.consumer';
import { MemoryLogger } from '../fakes/listener.harness';

/** What an application's configuration service would hand out. */
class AppConfig {
  readonly topic = 'readings-from-config';
  readonly group = 'writers-from-config';
}

@Module({ providers: [AppConfig], exports: [AppConfig] })
class AppConfigModule {}

@Injectable()
class ReadingsListener {
  // No topic or group here: they come from the configuration.
  @BatchListener({ id: 'readings', maxPollRecords: 50, deadLetter: { enabled: false } })
  onBatch(): void {}
}

async function boot(kafka: ReturnType<typeof KafkaBatchModule.forRoot>) {
  const consumer = new FakeConsumer(new FakeClock());
  const logger = new MemoryLogger();
  @Module({ imports: [AppConfigModule, kafka], providers: [ReadingsListener] })
  class AppModule {}
  const app = await Test.createTestingModule({ imports: [AppModule] })
    .overrideProvider(KafkaClientFactory)
    .useValue({ listenerConsumer: (_options: unknown, events: ConsumerEvents) => consumer.create(events) })
    .setLogger(logger)
    .compile();
  await app.init();
  return app;
}

const base: KafkaBatchModuleOptions = { brokers: 'unused:9092', lag: { enabled: false } };

describe("a listener's options from the module, by listener id", () => {
  it('forRoot: topics, group and batch settings over the decorator', async () => {
    const app = await boot(
      KafkaBatchModule.forRoot({
        ...base,
        defaults: { autoStartup: false },
        listeners: { readings: { topics: ['configured'], groupId: 'g', maxPollRecords: 200 } },
      }),
    );
    expect(app.get(KafkaListenerRegistry).get('readings').options).toMatchObject({
      topics: ['configured'],
      groupId: 'g',
      maxPollRecords: 200,
    });
    await app.close();
  });

  it('forRootAsync: from an injected configuration provider', async () => {
    const app = await boot(
      KafkaBatchModule.forRootAsync({
        imports: [AppConfigModule],
        inject: [AppConfig],
        useFactory: (config: AppConfig) => ({
          ...base,
          defaults: { autoStartup: false },
          listeners: { readings: { topics: [config.topic], groupId: config.group } },
        }),
      }),
    );
    expect(app.get(KafkaListenerRegistry).get('readings').options).toMatchObject({
      topics: ['readings-from-config'],
      groupId: 'writers-from-config',
      maxPollRecords: 50,
    });
    await app.close();
  });

  it('fails the start on an id no listener has, naming the ids there are', async () => {
    await expect(
      boot(
        KafkaBatchModule.forRoot({
          ...base,
          listeners: { readings: { topics: ['t'], groupId: 'g' }, reading: { maxPollRecords: 1 } },
        }),
      ),
    ).rejects.toThrow(
      'KafkaBatchModule option "listeners": no @BatchListener has the id "reading" (listener ids: "readings")',
    );
  });

  it('fails the start when neither the decorator nor the module names the topics', async () => {
    await expect(boot(KafkaBatchModule.forRoot({ ...base, defaults: { groupId: 'g' } }))).rejects.toThrow(
      '@BatchListener "readings": option "topics" must be a non-empty list of topic names (or set topicPattern)',
    );
  });
});
