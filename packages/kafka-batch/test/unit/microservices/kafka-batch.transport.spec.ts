import { Controller, ExceptionFilter, INestMicroservice, UsePipes, ValidationPipe } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, MessagePattern, Payload, Transport } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { IsInt, IsString } from 'class-validator';
import type { ConsumerEvents } from '../../../src/client/consumer.client';
import type { KafkaClientFactory } from '../../../src/client/kafka-client.factory';
import type { ListenerContainer } from '../../../src/container/listener-container.interface';
import {
  KafkaBatchExceptionFilter,
  KafkaBatchTransport,
  KafkaBatchTransportSettings,
} from '../../../src/microservices';
import { FakeClock } from '../fakes/fake.clock';
import { FakeConsumer } from '../fakes/fake.consumer';
import { MemoryLogger } from '../fakes/listener.harness';

class ReadingDto {
  @IsString() device!: string;
  @IsInt() watts!: number;
}

interface Seen {
  payload: unknown;
  topic: string;
  partition: number;
  offset: string;
  key: unknown;
  headers: unknown;
}

/** Handlers as written for Transport.KAFKA: nothing in them knows the transport changed. */
@Controller()
class ReadingsController {
  static seen: Seen[] = [];
  static gate: Promise<void> | undefined;

  @EventPattern('readings')
  @UsePipes(new ValidationPipe({ transform: true }))
  async onReading(@Payload() reading: ReadingDto, @Ctx() context: KafkaContext): Promise<void> {
    await ReadingsController.gate;
    const message = context.getMessage();
    await context.getHeartbeat()();
    ReadingsController.seen.push({
      payload: reading,
      topic: context.getTopic(),
      partition: context.getPartition(),
      offset: message.offset,
      key: message.key,
      headers: message.headers,
    });
  }

  // Bound to Transport.KAFKA: registered because the transport's id is that one.
  @MessagePattern('commands', Transport.KAFKA)
  onCommand(@Payload() command: string): void {
    ReadingsController.seen.push({
      payload: command,
      topic: 'commands',
      partition: 0,
      offset: '',
      key: null,
      headers: {},
    });
  }
}

interface Running {
  app: INestMicroservice;
  consumer: FakeConsumer;
  clock: FakeClock;
  logger: MemoryLogger;
  transport: KafkaBatchTransport;
  close(): Promise<void>;
}

async function startTransport(
  settings: KafkaBatchTransportSettings = {},
  globalFilters: ExceptionFilter[] = [],
): Promise<Running> {
  const clock = new FakeClock();
  const consumer = new FakeConsumer(clock);
  const logger = new MemoryLogger();
  const clients = {
    listenerConsumer: (_options: unknown, events: ConsumerEvents) => consumer.create(events),
  } as unknown as KafkaClientFactory;
  const transport = new KafkaBatchTransport(
    { client: { brokers: ['unused:9092'] }, consumer: { groupId: 'readings' } },
    { clients, deadLetter: { enabled: false }, retry: { attempts: 2, initialDelayMs: 0 }, ...settings },
  );
  const moduleRef = await Test.createTestingModule({ controllers: [ReadingsController] })
    .setLogger(logger)
    .compile();
  const app = moduleRef.createNestMicroservice({ strategy: transport, logger });
  app.useGlobalFilters(...globalFilters);
  await app.listen();
  return {
    app,
    consumer,
    clock,
    logger,
    transport,
    async close() {
      const closed = app.close();
      await clock.until(() => consumer.calls.includes('disconnect'), 'the disconnect');
      await closed;
    },
  };
}

describe('KafkaBatchTransport: @EventPattern handlers written for Transport.KAFKA, on a listener', () => {
  let running: Running | undefined;
  beforeEach(() => {
    ReadingsController.seen = [];
    ReadingsController.gate = undefined;
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it("subscribes the patterns with Nest's group id, and hands over payload and KafkaContext as ServerKafka parses them", async () => {
    running = await startTransport();
    const { consumer, clock, transport } = running;
    const container = transport.unwrap<ListenerContainer>();
    expect(container.options).toMatchObject({ topics: ['readings', 'commands'], groupId: 'readings-server' });
    consumer.produce('readings', 2, [{ device: 'd-1', watts: 7 }], {
      key: Buffer.from('d-1'),
      headers: [{ source: Buffer.from('gateway-4') }, { trace: Buffer.from('{"id":1}') }],
    });
    consumer.assignPartitions({ topic: 'readings', partition: 2 });
    await clock.until(() => consumer.committedAt('readings', 2) === 1, 'the commit');
    expect(ReadingsController.seen).toEqual([
      {
        payload: Object.assign(new ReadingDto(), { device: 'd-1', watts: 7 }),
        topic: 'readings',
        partition: 2,
        offset: '0',
        key: 'd-1',
        headers: { source: 'gateway-4', trace: { id: 1 } },
      },
    ]);
    expect(ReadingsController.seen[0].payload).toBeInstanceOf(ReadingDto);
  });

  it("reports its status and the listener's events as a Nest transport does", async () => {
    running = await startTransport();
    const { consumer, clock, transport } = running;
    const statuses: string[] = [];
    transport.status.subscribe((status) => statuses.push(status));
    const handled: number[] = [];
    transport.on('handled', ({ records }) => handled.push(records));
    consumer.produce('readings', 0, [{ device: 'd-1', watts: 1 }]);
    consumer.assignPartitions({ topic: 'readings', partition: 0 });
    await clock.until(() => consumer.committedAt('readings', 0) === 1, 'the commit');
    expect(handled).toEqual([1]);
    consumer.fatal('fenced by another member');
    await clock.until(() => statuses.includes('crashed'), 'the crash');
    expect(statuses).toEqual(['connected', 'crashed']);
  });

  it('commits a record only after its handler finished', async () => {
    running = await startTransport();
    const { consumer, clock } = running;
    let release!: () => void;
    ReadingsController.gate = new Promise((resolve) => (release = resolve));
    consumer.produce('readings', 0, [{ device: 'd-1', watts: 1 }]);
    consumer.assignPartitions({ topic: 'readings', partition: 0 });
    await clock.advance(5_000);
    expect(ReadingsController.seen).toHaveLength(0);
    expect(consumer.committedAt('readings', 0)).toBeUndefined();
    release();
    await clock.until(() => consumer.committedAt('readings', 0) === 1, 'the commit');
    expect(ReadingsController.seen).toHaveLength(1);
  });

  it("retries a record its handler rejects (the ValidationPipe's error included) and never commits past it unrecovered", async () => {
    running = await startTransport();
    const { consumer, clock, logger, transport } = running;
    const invocations: boolean[] = [];
    transport.on('handled', ({ failed }) => invocations.push(failed));
    consumer.produce('readings', 0, [
      { device: 'd-1', watts: 'many' },
      { device: 'd-2', watts: 2 },
    ]);
    consumer.assignPartitions({ topic: 'readings', partition: 0 });
    await clock.until(
      () => consumer.committedAt('readings', 0) === 2,
      'the commit past the recovered record',
    );
    // Two failed attempts on offset 0, then offset 1; one commit, after both.
    expect(invocations).toEqual([true, true, false]);
    expect(consumer.calls.filter((call) => call.startsWith('commit'))).toEqual(['commit readings[0]@2']);
    expect(ReadingsController.seen.map((s) => s.offset)).toEqual(['1']);
    // Nest's default filter leaves only its message; the dead-letter topic is off here, so the skip is logged.
    expect(logger.of('error')).toContain(
      'KafkaBatchTransport: skipping readings[0]@0 (dead-letter topic disabled): Internal server error',
    );
  });

  it('with KafkaBatchExceptionFilter, the retries and the dead letter get the error as thrown', async () => {
    running = await startTransport({}, [new KafkaBatchExceptionFilter()]);
    const { consumer, clock, logger } = running;
    consumer.produce('readings', 0, [{ device: 'd-1', watts: 'many' }]);
    consumer.assignPartitions({ topic: 'readings', partition: 0 });
    await clock.until(
      () => consumer.committedAt('readings', 0) === 1,
      'the commit past the recovered record',
    );
    expect(logger.of('error')).toContain(
      'KafkaBatchTransport: skipping readings[0]@0 (dead-letter topic disabled): Bad Request Exception',
    );
  });

  it('serves a @MessagePattern record that asks no reply, and fails one that asks for a reply, with the reason', async () => {
    running = await startTransport();
    const { consumer, clock, logger } = running;
    consumer.produce('commands', 0, [Buffer.from('restart')]);
    consumer.produce('commands', 0, [Buffer.from('reply please')], {
      headers: [
        { kafka_correlationId: Buffer.from('c-1') },
        { kafka_replyTopic: Buffer.from('commands.reply') },
      ],
    });
    consumer.assignPartitions({ topic: 'commands', partition: 0 });
    await clock.until(() => consumer.committedAt('commands', 0) === 2, 'the commit');
    expect(ReadingsController.seen.map((s) => s.payload)).toEqual(['restart']);
    expect(logger.of('error').join('\n')).toContain(
      'request-response is not served by KafkaBatchTransport: the record asks for a reply on "commands.reply"',
    );
  });

  it('says what a handler asked of the KafkaJS consumer that the listener owns, and seeks through the listener', async () => {
    const context = (await import('../../../src/microservices/kafka-context.factory')).KafkaContextFactory;
    const seeks: string[] = [];
    const factory = new context({
      seek: (topic, partition, offset) => seeks.push(`${topic}[${partition}]@${offset}`),
    });
    const kafkaContext = factory.create({
      topic: 't',
      partition: 1,
      offset: 4,
      key: null,
      value: 'v',
      raw: Buffer.from('v'),
      size: 1,
      timestamp: 1_000,
      headers: {},
      headerList: [],
    });
    const consumer = kafkaContext.getConsumer();
    await consumer.commitOffsets([{ topic: 't', partition: 1, offset: '5' }]);
    consumer.seek({ topic: 't', partition: 1, offset: '2' });
    expect(seeks).toEqual(['t[1]@2']);
    expect(() => consumer.pause([{ topic: 't' }])).toThrow(
      'KafkaContext.getConsumer().pause() is not available on KafkaBatchTransport: the listener owns the consumer',
    );
    expect(() => kafkaContext.getProducer().send({ topic: 'x', messages: [] })).toThrow(
      'KafkaContext.getProducer().send() is not available on KafkaBatchTransport',
    );
    expect(kafkaContext.getMessage()).toMatchObject({
      offset: '4',
      timestamp: '1000',
      value: 'v',
      headers: {},
    });
  });

  it('fails the start when the listener fails while connecting (refused credentials)', async () => {
    const clock = new FakeClock();
    const consumer = new FakeConsumer(clock);
    let release!: () => void;
    consumer.connectGate = new Promise((resolve) => (release = resolve));
    const clients = {
      listenerConsumer: (_options: unknown, events: ConsumerEvents) => consumer.create(events),
    } as unknown as KafkaClientFactory;
    const transport = new KafkaBatchTransport(
      { consumer: { groupId: 'readings' } },
      { clients, deadLetter: { enabled: false } },
    );
    const statuses: string[] = [];
    transport.status.subscribe((status) => statuses.push(status));
    const moduleRef = await Test.createTestingModule({ controllers: [ReadingsController] })
      .setLogger(new MemoryLogger())
      .compile();
    const app = moduleRef.createNestMicroservice({ strategy: transport, logger: new MemoryLogger() });
    const listening = app.listen();
    await clock.until(() => consumer.calls.includes('connect'), 'the connect');
    consumer.fatal("authentication failed: SASL SCRAM-SHA-512 as user 'orders'");
    release();
    await expect(listening).rejects.toThrow('authentication failed');
    expect(statuses).toEqual(['crashed']);
    await app.close();
  });

  it("refuses ackMode 'manual' at listen, naming the allowed values", async () => {
    await expect(startTransport({ ackMode: 'manual' })).rejects.toThrow(
      `KafkaBatchTransport "KafkaBatchTransport": ackMode 'manual' is not possible (an @EventPattern handler has no acknowledgment); allowed: 'batch', 'record'`,
    );
  });
});
