import { Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { ConsumerEvents } from '../../../src/client/consumer.client';
import { KafkaClientFactory } from '../../../src/client/kafka-client.factory';
import { KafkaListenerRegistry } from '../../../src/container/listener-container.registry';
import { BatchListener } from '../../../src/discovery/batch-listener.decorator';
import type { KafkaBatch } from '../../../src/interfaces/kafka-record.interface';
import { KafkaBatchModule } from '../../../src/kafka-batch.module';
import { FakeClock } from '../fakes/fake.clock';
import { FakeConsumer } from '../fakes/fake.consumer';
import { MemoryLogger, TOPIC, tp, values } from '../fakes/listener.harness';

describe('KafkaClientFactory as the seam of a Nest application', () => {
  it('a listener of a real module consumes and commits through a consumer substituted for the factory', async () => {
    const clock = new FakeClock();
    const consumer = new FakeConsumer(clock);
    const received: number[] = [];

    @Injectable()
    class ReadingsListener {
      @BatchListener({ topics: [TOPIC], groupId: 'g', maxPollRecords: 10, deadLetter: { enabled: false } })
      onBatch(batch: KafkaBatch<{ i: number }>): void {
        received.push(...batch.values.map((v) => v.i));
      }
    }
    @Module({
      imports: [KafkaBatchModule.forRoot({ brokers: 'unused:9092', lag: { enabled: false } })],
      providers: [ReadingsListener],
    })
    class AppModule {}

    const app = await Test.createTestingModule({ imports: [AppModule] })
      .overrideProvider(KafkaClientFactory)
      .useValue({ listenerConsumer: (_options: unknown, events: ConsumerEvents) => consumer.create(events) })
      .setLogger(new MemoryLogger())
      .compile();
    await app.init();
    try {
      expect(app.get(KafkaListenerRegistry).get('ReadingsListener.onBatch').state).toBe('running');
      consumer.produce(TOPIC, 0, values(5));
      consumer.assignPartitions(tp(0));
      await clock.until(() => consumer.committedAt(TOPIC, 0) === 5, 'the commit');
      expect(received).toEqual([0, 1, 2, 3, 4]);
    } finally {
      const closed = app.close();
      await clock.until(() => consumer.calls.includes('disconnect'), 'the disconnect');
      await closed;
    }
  });
});
