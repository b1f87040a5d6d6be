import { Injectable, INestMicroservice, Module, ModuleMetadata, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { KafkaOptions, MicroserviceOptions, Transport } from '@nestjs/microservices';
import {
  BatchListener,
  KafkaBatch,
  KafkaBatchModule,
  KafkaLagMonitor,
  KafkaListenerRegistry,
  ListenerContainer,
} from '@org/kafka-batch';
import { KafkaBatchHealthIndicator, KafkaBatchHealthModule } from '@org/kafka-batch/health';
import { KafkaBatchMetricsModule } from '@org/kafka-batch/metrics';
import {
  KafkaBatchExceptionFilter,
  KafkaBatchTransport,
  KafkaBatchTransportSettings,
} from '@org/kafka-batch/microservices';
import {
  eventually,
  KafkaAdmin,
  kafkaBootstrap,
  kafkaScript,
  produceRecords,
  readTopic,
  ScramUser,
  TestLogger,
  TestRecord,
  uniqueName,
  useDedicatedBroker,
} from '@org/testing';
import { logLevel } from 'kafkajs';
import { Registry } from 'prom-client';
import { Order, ordersController, OrderSeen } from './fixtures/orders.controller';

/** The test's log, with the warnings kept to assert on. */
class WarningsLogger extends TestLogger {
  readonly warnings: string[] = [];
  override warn(message: unknown, ...params: unknown[]): void {
    this.warnings.push(String(message));
    super.warn(message, ...params);
  }
}

type TransportOptions = NonNullable<KafkaOptions['options']>;

/** The options object of a service on Transport.KAFKA, as it is written today. */
const transportOptions = (groupId: string): TransportOptions => ({
  client: { clientId: 'orders', brokers: [kafkaBootstrap()], logLevel: logLevel.NOTHING },
  consumer: { groupId },
  subscribe: { fromBeginning: true },
});

const orderRecords = (ids: number[], extra: Partial<Order> = {}): TestRecord[] =>
  ids.map((id) => ({
    key: `customer-${id % 3}`,
    value: { id, item: `item-${id % 6}`, ...extra },
    headers: { source: 'shop', trace: `{"span":${id % 6}}` },
    timestamp: 1_765_000_000_000 + (id % 6),
  }));

const sumOf = (offsets: Map<number, number>) => [...offsets.values()].reduce((a, b) => a + b, 0);

describe('KafkaBatchTransport: a Transport.KAFKA service with only its transport line changed (real broker)', () => {
  const admin = new KafkaAdmin();
  const apps: INestMicroservice[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(() => admin.close());

  async function startMicroservice(
    controller: Type,
    microservice: MicroserviceOptions,
    imports: NonNullable<ModuleMetadata['imports']> = [],
  ): Promise<INestMicroservice> {
    @Module({ imports, controllers: [controller] })
    class OrdersModule {}
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(OrdersModule, {
      ...microservice,
      logger: new TestLogger(),
    });
    apps.push(app);
    return app;
  }

  it('the same handler and options, first on Transport.KAFKA then on the new transport: the group goes on where it was, and the handler sees the same payload and context', async () => {
    const topic = uniqueName('orders');
    const groupId = uniqueName('g');
    await admin.createTopic(topic, 2);
    const seen: OrderSeen[] = [];
    const controller = ordersController(topic, seen);

    await produceRecords(topic, orderRecords([0, 1, 2, 3, 4, 5]));
    const onKafkaJs = await startMicroservice(controller, {
      transport: Transport.KAFKA,
      options: transportOptions(groupId),
    });
    await onKafkaJs.listen();
    await eventually(() => seen.length === 6, 'the 6 orders on Transport.KAFKA', 60_000);
    await eventually(
      async () => sumOf(await admin.committedOffsets(`${groupId}-server`, topic)) === 6,
      "KafkaJS's commit",
    );
    await apps.pop()!.close();

    await produceRecords(topic, orderRecords([6, 7, 8, 9, 10, 11]));
    // A new process: ServerKafka wrote its postfix into the options object it was given.
    const migrated = await startMicroservice(controller, {
      strategy: new KafkaBatchTransport(transportOptions(groupId)),
    });
    await migrated.listen();
    await eventually(() => seen.length === 12, 'the 6 new orders on KafkaBatchTransport', 60_000);
    await eventually(
      async () => sumOf(await admin.committedOffsets(`${groupId}-server`, topic)) === 12,
      'the commit',
    );

    const [before, after] = [seen.slice(0, 6), seen.slice(6)];
    // Nothing committed by KafkaJS came again.
    expect(after.map((s) => s.order.id).sort((a, b) => a - b)).toEqual([6, 7, 8, 9, 10, 11]);
    // Order n and n + 6 are the same record but for the id: the handler cannot tell the transports apart.
    const shape = (s: OrderSeen) => ({
      ...s,
      order: { ...s.order, id: s.order.id % 6 },
      offset: typeof s.offset,
    });
    const byItem = (a: OrderSeen, b: OrderSeen) => (a.order.id % 6) - (b.order.id % 6);
    expect(after.sort(byItem).map(shape)).toEqual(before.sort(byItem).map(shape));
    expect(after[0]).toMatchObject({ headers: { source: 'shop', trace: { span: 0 } }, key: 'customer-0' });
    expect(after[0].timestamp).toBe('1765000000000');
  });

  it('cannot join a group that Transport.KAFKA instances still hold: it says why, stays unassigned, and takes over where they committed once they stopped', async () => {
    const topic = uniqueName('orders');
    const groupId = uniqueName('g');
    await admin.createTopic(topic, 2);
    const [seenBefore, seenAfter]: OrderSeen[][] = [[], []];
    const old = await startMicroservice(ordersController(topic, seenBefore), {
      transport: Transport.KAFKA,
      options: transportOptions(groupId),
    });
    await old.listen();
    await produceRecords(topic, orderRecords([0, 1, 2, 3]));
    await eventually(() => seenBefore.length === 4, 'the old instance consuming', 30_000);

    const logger = new WarningsLogger();
    const transport = new KafkaBatchTransport(transportOptions(groupId));
    @Module({ controllers: [ordersController(topic, seenAfter)] })
    class NewModule {}
    const next = await NestFactory.createMicroservice<MicroserviceOptions>(NewModule, {
      strategy: transport,
      logger,
    });
    apps.push(next);
    await next.listen();
    await eventually(
      () =>
        logger.warnings.some((w) =>
          w.includes("Inconsistent group protocol: the group's members use another assignment protocol"),
        ),
      'the refusal, explained',
    );
    const container = transport.unwrap<ListenerContainer>();
    expect(container.joinedGroupAt).toBeUndefined();
    expect(container.assignment).toEqual([]);

    await apps.splice(apps.indexOf(old), 1)[0].close();
    await produceRecords(topic, orderRecords([4, 5, 6, 7]));
    await eventually(() => seenAfter.length === 4, 'the new instance taking over', 60_000);
    expect(seenAfter.map((s) => s.order.id).sort()).toEqual([4, 5, 6, 7]);
  });

  it('retries a failing record, dead-letters one that keeps failing with the reason, and commits past both', async () => {
    const topic = uniqueName('orders');
    const groupId = uniqueName('g');
    await admin.createTopic(topic, 1);
    await admin.createTopic(`${topic}.DLT`, 1);
    const seen: OrderSeen[] = [];
    const settings: KafkaBatchTransportSettings = { retry: { attempts: 3, initialDelayMs: 10 } };
    const app = await startMicroservice(ordersController(topic, seen), {
      strategy: new KafkaBatchTransport(transportOptions(groupId), settings),
    });
    app.useGlobalFilters(new KafkaBatchExceptionFilter());
    await app.listen();
    await produceRecords(topic, [
      ...orderRecords([1], { failures: 1 }),
      ...orderRecords([2], { failures: -1 }),
      ...orderRecords([3]),
    ]);
    await eventually(
      async () => sumOf(await admin.committedOffsets(`${groupId}-server`, topic)) === 3,
      'the commit',
      30_000,
    );
    expect(seen.map((s) => s.order.id)).toEqual([1, 3]);
    const [letter] = await readTopic(`${topic}.DLT`, 1, 1);
    expect(JSON.parse(letter.value!.toString())).toEqual({ id: 2, item: 'item-2', failures: -1 });
    expect(letter.headers).toMatchObject({
      'kafka_dlt-exception-message': 'order 2 cannot be placed (attempt 3)',
      'kafka_dlt-original-topic': topic,
      'kafka_dlt-original-offset': '1',
    });
  });

  it('runs beside a @BatchListener in one application: both in the registry, health and lag, with static membership and cooperative-sticky assignment', async () => {
    const ordersTopic = uniqueName('orders');
    const auditTopic = uniqueName('audit');
    const groupId = uniqueName('g');
    await admin.createTopic(ordersTopic, 3);
    await admin.createTopic(auditTopic, 1);
    const seen: OrderSeen[] = [];
    const audited: unknown[] = [];
    const metrics = new Registry();

    @Injectable()
    class AuditListener {
      @BatchListener({ id: 'audit', topics: [auditTopic], groupId: uniqueName('audit') })
      onAudit(batch: KafkaBatch): void {
        audited.push(...batch.values);
      }
    }
    @Module({ providers: [AuditListener] })
    class AuditModule {}

    const app: INestMicroservice = await startMicroservice(
      ordersController(ordersTopic, seen),
      {
        strategy: new KafkaBatchTransport(transportOptions(groupId), {
          id: 'orders',
          app: () => app,
          groupInstanceId: 'orders-pod-0',
        }),
      },
      [
        KafkaBatchModule.forRoot({ brokers: kafkaBootstrap(), lag: { intervalMs: 200, windowSize: 3 } }),
        KafkaBatchHealthModule,
        KafkaBatchMetricsModule.forRoot({ registry: metrics }),
        AuditModule,
      ],
    );
    await app.listen();
    await produceRecords(ordersTopic, orderRecords([0, 1, 2, 3, 4, 5]));
    await produceRecords(auditTopic, [{ value: { event: 'login' } }]);
    await eventually(() => seen.length === 6 && audited.length === 1, 'both listeners consuming', 30_000);

    const registry = app.get(KafkaListenerRegistry);
    expect(
      registry
        .all()
        .map((c) => c.options.id)
        .sort(),
    ).toEqual(['audit', 'orders']);
    expect(registry.get('orders').options).toMatchObject({
      groupId: `${groupId}-server`,
      assignor: 'cooperative-sticky',
      groupInstanceId: 'orders-pod-0',
    });
    const monitor = app.get(KafkaLagMonitor);
    await eventually(
      () => monitor.snapshot('orders')?.totalLag === 0,
      "the orders listener's lag, sampled",
      20_000,
    );
    // Registered after bootstrap, counted all the same.
    expect(await metrics.metrics()).toContain('kafka_batch_records_consumed_total{listener="orders"} 6');
    const health = await app.get(KafkaBatchHealthIndicator).isReady('kafka');
    expect(Object.keys(health.kafka.listeners as object).sort()).toEqual(['audit', 'orders']);
    expect(health.kafka.status).toBe('up');

    // The broker's own view of the group: the static member, on the cooperative protocol.
    const describeGroup = (...flags: string[]) =>
      kafkaScript([
        'tool',
        'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
        '--bootstrap-server',
        kafkaBootstrap(),
        '--describe',
        '--group',
        `${groupId}-server`,
        ...flags,
      ]);
    expect(await describeGroup('--members', '--verbose')).toContain('orders-pod-0');
    expect(await describeGroup('--state')).toContain('cooperative-sticky');
  });
});

describe('KafkaBatchTransport on a broker that requires SASL/SCRAM: the KafkaJS sasl option, translated (real broker)', () => {
  const user: ScramUser = { mechanism: 'SCRAM-SHA-256', name: 'orders-service', password: 'or-ders-secret' };
  const own = useDedicatedBroker({ sasl: { users: [user] } });
  let app: INestMicroservice | undefined;
  afterEach(() => app?.close());

  it('consumes through the SASL listener with client.sasl as Transport.KAFKA takes it', async () => {
    const topic = uniqueName('orders');
    await own.admin.createTopic(topic, 1);
    const seen: OrderSeen[] = [];
    @Module({ controllers: [ordersController(topic, seen)] })
    class OrdersModule {}
    app = await NestFactory.createMicroservice<MicroserviceOptions>(OrdersModule, {
      strategy: new KafkaBatchTransport({
        client: {
          brokers: [own.broker.sasl!.bootstrap],
          sasl: { mechanism: 'scram-sha-256', username: user.name, password: user.password },
        },
        consumer: { groupId: uniqueName('g') },
        subscribe: { fromBeginning: true },
      }),
      logger: new TestLogger(),
    });
    await app.listen();
    await produceRecords(topic, orderRecords([1, 2, 3]), own.broker.bootstrap);
    await eventually(() => seen.length === 3, 'the 3 orders through SASL/SCRAM', 30_000);
    expect(seen.map((s) => s.order.id)).toEqual([1, 2, 3]);
  });
});
