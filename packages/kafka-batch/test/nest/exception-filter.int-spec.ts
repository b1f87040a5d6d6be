import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Module } from '@nestjs/common';
import { APP_FILTER, NestFactory } from '@nestjs/core';
import {
  BatchListener,
  DLT_HEADERS,
  KAFKA_BATCH_CONTEXT,
  KafkaBatch,
  KafkaBatchModule,
} from '@org/kafka-batch';
import {
  KafkaAdmin,
  kafkaBootstrap,
  produceRecords,
  readTopic,
  TestLogger,
  uniqueName,
  waitForLagZero,
} from '@org/testing';

/**
 * An error-reporting filter for every exception, as applications register for HTTP: it reports
 * and returns (a Promise, being async), which Nest takes for "handled".
 */
@Catch()
class ReportEverythingFilter implements ExceptionFilter {
  readonly reported: { message: string; context: string }[] = [];

  async catch(error: Error, host: ArgumentsHost): Promise<void> {
    this.reported.push({ message: error.message, context: host.getType() });
  }
}

describe('exception filters (real broker)', () => {
  const admin = new KafkaAdmin();
  afterAll(() => admin.close());

  it('dead-letters a failing record although a global catch-all filter returned normally, and the filter saw the error', async () => {
    const topic = uniqueName('nest_filter');
    const groupId = uniqueName('g');
    await admin.createTopic(topic, 1);
    await produceRecords(
      topic,
      Array.from({ length: 6 }, (_, i) => ({ key: `k${i}`, value: { i } })),
    );
    const filter = new ReportEverythingFilter();
    const handled = new Set<number>();

    @Injectable()
    class Readings {
      @BatchListener({
        topics: [topic],
        groupId,
        ackMode: 'batch',
        fetchMinBytes: 1,
        retry: { attempts: 1, initialDelayMs: 10 },
      })
      onBatch(batch: KafkaBatch<{ i: number }>): void {
        if (batch.values.some(({ i }) => i === 3)) throw new Error('reading 3 rejected');
        batch.values.forEach(({ i }) => handled.add(i));
      }
    }

    @Module({
      imports: [KafkaBatchModule.forRoot({ brokers: kafkaBootstrap(), clientId: 'filters' })],
      providers: [Readings, { provide: APP_FILTER, useValue: filter }],
    })
    class AppModule {}

    const app = await NestFactory.createApplicationContext(AppModule, { logger: new TestLogger() });
    await app.init();
    try {
      await waitForLagZero(admin, groupId, topic, { timeoutMs: 30_000 });
      const dead = await readTopic(`${topic}.DLT`, 1, 1, { timeoutMs: 10_000 });
      expect(dead.map((record) => [record.key, record.headers[DLT_HEADERS.exceptionMessage]])).toEqual([
        ['k3', 'reading 3 rejected'],
      ]);
      expect([...handled].sort()).toEqual([0, 1, 2, 4, 5]);
      expect(filter.reported).toContainEqual({ message: 'reading 3 rejected', context: KAFKA_BATCH_CONTEXT });
    } finally {
      await app.close();
    }
  });
});
