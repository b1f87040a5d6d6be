import { INestApplicationContext, Injectable, Module, ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Acknowledgment,
  BatchListener,
  BatchListenerOptions,
  KafkaBatch,
  KafkaBatchModule,
  KafkaBatchModuleOptions,
  KafkaListenerRegistry,
  KafkaRecord,
} from '@org/kafka-batch';
import { KafkaAdmin, kafkaBootstrap, TestLogger, uniqueName } from '@org/testing';

/** A batch (or, in ackMode 'record', a record) of whatever shape the test produced. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TestHandler = (payload: KafkaBatch<any> & KafkaRecord<any>, ack: Acknowledgment) => unknown;

export interface ListenerApp {
  app: INestApplicationContext;
  registry: KafkaListenerRegistry;
  close(): Promise<void>;
}

/** A Nest application context with one @BatchListener calling `handler`, started like a user's app. */
export async function startListenerApp(
  options: BatchListenerOptions,
  handler: TestHandler,
  metadata: ModuleMetadata = {},
  moduleOptions: Partial<KafkaBatchModuleOptions> = {},
): Promise<ListenerApp> {
  @Injectable()
  class TestListener {
    @BatchListener({ id: 'test-listener', ...options })
    onBatch(batch: KafkaBatch & KafkaRecord, ack: Acknowledgment): unknown {
      return handler(batch, ack);
    }
  }

  @Module({
    imports: [
      KafkaBatchModule.forRoot({ brokers: kafkaBootstrap(), clientId: 'it', ...moduleOptions }),
      ...(metadata.imports ?? []),
    ],
    providers: [TestListener, ...(metadata.providers ?? [])],
  })
  class TestModule {}

  const app = await NestFactory.createApplicationContext(TestModule, {
    logger: new TestLogger(),
    abortOnError: false,
  });
  await app.init();
  return { app, registry: app.get(KafkaListenerRegistry), close: () => app.close() };
}

// The listener suites take these from here, with the rest of their setup.
export { eventually, sleep } from '@org/testing';

/**
 * The setup every listener suite shares: an admin client for the broker's own view, fresh topics,
 * and listener apps that are closed after each test.
 */
export function listenerSuite() {
  const admin = new KafkaAdmin();
  const apps: ListenerApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close().catch(() => undefined)));
  });
  afterAll(() => admin.close());
  return {
    admin,
    /** A new topic and a consumer group name nobody used before. */
    async newTopic(prefix: string, partitions: number): Promise<{ topic: string; groupId: string }> {
      const topic = uniqueName(prefix);
      await admin.createTopic(topic, partitions);
      return { topic, groupId: uniqueName('g') };
    },
    async start(...args: Parameters<typeof startListenerApp>): Promise<ListenerApp> {
      const app = await startListenerApp(...args);
      apps.push(app);
      return app;
    },
  };
}
