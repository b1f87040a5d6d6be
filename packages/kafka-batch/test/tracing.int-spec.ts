import { INestApplicationContext, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { BatchListener, KafkaBatch, KafkaBatchModule } from '@org/kafka-batch';
import { BulkRepository, BulkRepositoryModule, InjectBulkRepository } from '@org/kafka-batch/persistence';
import {
  eventually,
  KafkaAdmin,
  kafkaBootstrap,
  OpenTestDatabase,
  openTestDatabase,
  produceRecords,
  readTopic,
  TestLogger,
  uniqueName,
} from '@org/testing';
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('traced_readings')
class TracedReading {
  @PrimaryColumn('text') device!: string;
  @Column('int') watts!: number;
}

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const producerTracer = trace.getTracer('the-producer');

/** Produces each value under a producer span of its own and returns those spans' contexts. */
async function produceTraced(
  topic: string,
  values: object[],
): Promise<{ traceId: string; spanId: string }[]> {
  const sent = values.map((value) =>
    producerTracer.startActiveSpan(`send ${topic}`, { kind: SpanKind.PRODUCER }, (span) => {
      const headers: Record<string, string> = {};
      propagation.inject(context.active(), headers);
      span.end();
      const { traceId, spanId } = span.spanContext();
      return { record: { value, headers }, producer: { traceId, spanId } };
    }),
  );
  await produceRecords(
    topic,
    sent.map((s) => s.record),
  );
  return sent.map((s) => s.producer);
}

describe('OpenTelemetry batch spans (real broker and PostgreSQL, in-memory exporter)', () => {
  const admin = new KafkaAdmin();
  let database: OpenTestDatabase;
  let app: INestApplicationContext | undefined;
  beforeAll(async () => {
    provider.register();
    database = await openTestDatabase(
      'CREATE TABLE traced_readings (device text PRIMARY KEY, watts int NOT NULL)',
    );
  });
  afterEach(() => app?.close());
  afterAll(async () => {
    admin.close();
    await database.drop();
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it("links each batch span to exactly its records' producer spans, capped as configured, with the bulk write as its child", async () => {
    const topic = uniqueName('traced');
    await admin.createTopic(topic, 1);
    const values = Array.from({ length: 12 }, (_, i) => ({ device: `d-${i}`, watts: i }));
    const producers = await produceTraced(topic, values);

    @Injectable()
    class TracedListener {
      constructor(
        @InjectBulkRepository(TracedReading) private readonly readings: BulkRepository<TracedReading>,
      ) {}

      @BatchListener({
        id: 'traced',
        topics: [topic],
        groupId: uniqueName('g'),
        maxPollRecords: 5,
        tracing: { maxLinks: 4 },
      })
      async onBatch(batch: KafkaBatch<TracedReading>): Promise<void> {
        await this.readings.upsertMany(batch.values, { conflictPaths: ['device'], update: ['watts'] });
      }
    }
    @Module({
      imports: [
        KafkaBatchModule.forRoot({ brokers: kafkaBootstrap(), clientId: 'it' }),
        TypeOrmModule.forRoot({ type: 'postgres', url: database.url, entities: [TracedReading] }),
        BulkRepositoryModule.forFeature([TracedReading]),
      ],
      providers: [TracedListener],
    })
    class TracedModule {}
    app = await NestFactory.createApplicationContext(TracedModule, {
      logger: new TestLogger(),
      abortOnError: false,
    });
    await app.init();

    const batches = () => exporter.getFinishedSpans().filter((s) => s.name === `process ${topic}`);
    const handled = () =>
      batches().reduce((n, s) => n + Number(s.attributes['messaging.batch.message_count']), 0);
    await eventually(() => handled() === 12, 'the 12 records in batch spans');

    for (const span of batches()) {
      const count = Number(span.attributes['messaging.batch.message_count']);
      expect(count).toBeLessThanOrEqual(5);
      const [first, last] = String((span.attributes['kafka_batch.offsets'] as string[])[0])
        .split('@')[1]
        .split('-')
        .map(Number);
      expect(last - first + 1).toBe(count);
      // Exactly the producer spans of this batch's offsets, the first four; the rest counted.
      const expected = producers.slice(first, last + 1);
      expect(span.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId }))).toEqual(
        expected.slice(0, 4),
      );
      expect(span.attributes['kafka_batch.links_dropped']).toBe(count > 4 ? count - 4 : undefined);
      expect(span.attributes).toMatchObject({
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': topic,
        'messaging.destination.partition.id': '0',
      });

      const writes = exporter
        .getFinishedSpans()
        .filter((s) => s.parentSpanContext?.spanId === span.spanContext().spanId);
      expect(writes.map((w) => w.name)).toEqual(['INSERT traced_readings']);
      expect(writes[0].attributes).toMatchObject({
        'db.system.name': 'postgresql',
        'db.collection.name': 'traced_readings',
        'db.operation.batch.size': count,
        'kafka_batch.bulk.operation': 'upsert',
      });
    }
    const { rows } = await database.client.query('SELECT count(*)::int AS n FROM traced_readings');
    expect(rows[0].n).toBe(12);
  });

  it('publishes a dead letter under a producer span: the child of the failed invocation, linked to the origin, its context in the letter', async () => {
    const topic = uniqueName('traced');
    await admin.createTopic(topic, 1);
    await admin.createTopic(`${topic}.DLT`, 1);
    const [origin] = await produceTraced(topic, [{ device: 'd-bad', watts: -1 }]);

    @Injectable()
    class RejectingListener {
      @BatchListener({ id: 'rejecting', topics: [topic], groupId: uniqueName('g'), retry: { attempts: 1 } })
      onBatch(): void {
        throw new RangeError('watts must not be negative');
      }
    }
    @Module({
      imports: [KafkaBatchModule.forRoot({ brokers: kafkaBootstrap(), clientId: 'it' })],
      providers: [RejectingListener],
    })
    class RejectingModule {}
    app = await NestFactory.createApplicationContext(RejectingModule, {
      logger: new TestLogger(),
      abortOnError: false,
    });
    await app.init();

    const [letter] = await readTopic(`${topic}.DLT`, 1, 1);
    await eventually(
      () => exporter.getFinishedSpans().some((s) => s.name === `send ${topic}.DLT`),
      'the send span',
    );
    const failed = exporter.getFinishedSpans().find((s) => s.name === `process ${topic}`)!;
    const send = exporter.getFinishedSpans().find((s) => s.name === `send ${topic}.DLT`)!;
    expect(failed.status.message).toBe('watts must not be negative');
    expect(send.kind).toBe(SpanKind.PRODUCER);
    expect(send.parentSpanContext?.spanId).toBe(failed.spanContext().spanId);
    expect(send.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId }))).toEqual([
      origin,
    ]);
    expect(letter.headers.traceparent).toBe(
      `00-${send.spanContext().traceId}-${send.spanContext().spanId}-01`,
    );
    expect(letter.headers['kafka_dlt-exception-message']).toBe('watts must not be negative');
  });
});
