import type { ConsumerEvents } from '../../../src/client/consumer.client';
import { KafkaClientFactory } from '../../../src/client/kafka-client.factory';
import { KafkaBatchConfigError, resolveListenerOptions } from '../../../src/config/listener-options.resolver';
import {
  KafkaTransportOptions,
  translateTransportOptions,
} from '../../../src/microservices/kafkajs-options.translator';

const problemsOf = (options: KafkaTransportOptions): string => {
  try {
    translateTransportOptions(options);
  } catch (err) {
    expect(err).toBeInstanceOf(KafkaBatchConfigError);
    return (err as Error).message;
  }
  throw new Error('the options were accepted');
};

describe('translateTransportOptions: the options of Transport.KAFKA on the library', () => {
  it("keeps ServerKafka's client and group ids, postfix included, so the group's committed offsets carry over", () => {
    const { client, listener } = translateTransportOptions({
      client: { brokers: ['a:9092', 'b:9092'], clientId: 'orders' },
      consumer: { groupId: 'orders-consumer' },
    });
    expect(client).toEqual({ brokers: ['a:9092', 'b:9092'], clientId: 'orders-server', rdkafka: {} });
    expect(listener.groupId).toBe('orders-consumer-server');
    const bare = translateTransportOptions({ postfixId: '', client: { brokers: ['a:9092'] } });
    expect([bare.client.clientId, bare.listener.groupId]).toEqual(['nestjs-consumer', 'nestjs-group']);
  });

  it('starts a new group where KafkaJS would: at the end unless subscribe.fromBeginning', () => {
    expect(translateTransportOptions({}).listener.autoOffsetReset).toBe('latest');
    expect(translateTransportOptions({ subscribe: { fromBeginning: true } }).listener.autoOffsetReset).toBe(
      'earliest',
    );
  });

  it('translates SASL over SSL, certificates and timeouts to librdkafka properties', () => {
    const { client } = translateTransportOptions({
      client: {
        brokers: ['kafka:9093'],
        ssl: {
          ca: [Buffer.from('CA-1\n'), 'CA-2'],
          cert: 'CERT',
          key: Buffer.from('KEY'),
          passphrase: 'pw',
          rejectUnauthorized: false,
        },
        sasl: { mechanism: 'scram-sha-512', username: 'svc', password: 'secret' },
        connectionTimeout: 3000,
        requestTimeout: 25000,
        retry: { initialRetryTime: 100, maxRetryTime: 5000 },
        logLevel: 1,
      },
    });
    expect(client.rdkafka).toEqual({
      'security.protocol': 'sasl_ssl',
      'ssl.ca.pem': 'CA-1\nCA-2',
      'ssl.certificate.pem': 'CERT',
      'ssl.key.pem': 'KEY',
      'ssl.key.password': 'pw',
      'enable.ssl.certificate.verification': false,
      'ssl.endpoint.identification.algorithm': 'none',
      'sasl.mechanisms': 'SCRAM-SHA-512',
      'sasl.username': 'svc',
      'sasl.password': 'secret',
      // KafkaJS times the handshakes apart (authenticationTimeout, default 10 s); librdkafka in one.
      'socket.connection.setup.timeout.ms': 13000,
      'socket.timeout.ms': 25000,
      'retry.backoff.ms': 100,
      'retry.backoff.max.ms': 5000,
      log_level: 3,
    });
    expect(translateTransportOptions({ client: { brokers: ['k:1'], ssl: true } }).client.rdkafka).toEqual({
      'security.protocol': 'ssl',
    });
    expect(
      translateTransportOptions({
        client: { brokers: ['k:1'], sasl: { mechanism: 'plain', username: 'u', password: 'p' } },
      }).client.rdkafka['security.protocol'],
    ).toBe('sasl_plaintext');
  });

  it("fills the retry bound left out with KafkaJS's default, falls back to ServerKafka's broker, and sets the consumer's own log level", () => {
    const { client, listener } = translateTransportOptions({
      client: { retry: { initialRetryTime: 5000 }, logLevel: 4 } as never,
    });
    expect(client.brokers).toEqual(['localhost:9092']);
    expect(client.rdkafka).toMatchObject({
      'retry.backoff.ms': 5000,
      'retry.backoff.max.ms': 30000,
      log_level: 6,
    });
    expect(listener.rdkafka).toEqual({ log_level: 6 });
  });

  it('gives librdkafka a consumer configuration it accepts', () => {
    const { client, listener } = translateTransportOptions({
      client: {
        brokers: ['unused:9092'],
        connectionTimeout: 500,
        retry: { initialRetryTime: 100, maxRetryTime: 2000 },
        logLevel: 5,
      },
      consumer: {
        groupId: 'g',
        sessionTimeout: 30000,
        maxBytes: 2_000_000,
        readUncommitted: true,
        rackId: 'r',
      },
    });
    const resolved = resolveListenerOptions('transport', { ...listener, topics: ['t'] });
    const consumer = new KafkaClientFactory(client).listenerConsumer(resolved, {} as ConsumerEvents);
    expect(consumer).toBeDefined();
  });

  it('maps consumer settings to listener options and librdkafka properties', () => {
    const { listener } = translateTransportOptions({
      consumer: {
        groupId: 'g',
        sessionTimeout: 30000,
        heartbeatInterval: 2000,
        minBytes: 1,
        maxWaitTimeInMs: 100,
        maxBytesPerPartition: 1048576,
        maxBytes: 10485760,
        metadataMaxAge: 60000,
        allowAutoTopicCreation: false,
        readUncommitted: false,
        rackId: 'eu-1a',
      },
      run: { autoCommit: true, partitionsConsumedConcurrently: 3, autoCommitInterval: 5000 },
    });
    expect(listener).toMatchObject({
      sessionTimeoutMs: 30000,
      heartbeatIntervalMs: 2000,
      fetchMinBytes: 1,
      fetchMaxWaitMs: 100,
      concurrency: 3,
      commitIntervalMs: 5000,
      rdkafka: {
        'max.partition.fetch.bytes': 1048576,
        'fetch.max.bytes': 10485760,
        'topic.metadata.refresh.interval.ms': 60000,
        'allow.auto.create.topics': false,
        'isolation.level': 'read_committed',
        'client.rack': 'eu-1a',
      },
    });
  });

  it('refuses every setting without an equivalent at once, naming each option and why', () => {
    const message = problemsOf({
      client: {
        brokers: () => ['a:9092'],
        sasl: { mechanism: 'aws', authorizationIdentity: 'x', accessKeyId: 'k', secretAccessKey: 's' },
        ssl: { servername: 'kafka.internal', key: [{ pem: 'KEY', passphrase: 'pw' }] as never },
        retry: { retries: 8, maxRetryTime: 600_000 },
        logCreator: () => () => undefined,
      },
      consumer: { groupId: 'g', rebalanceTimeout: 60000, partitionAssigners: [], maxBytes: 524_288 },
      run: { autoCommitThreshold: 100 },
      subscribe: { fromBeginning: true },
      producer: { allowAutoTopicCreation: true },
      producerOnlyMode: true,
    });
    for (const option of [
      '"client.brokers" a function has no librdkafka equivalent',
      `"client.sasl.mechanism" 'aws' has no librdkafka equivalent here (allowed: 'plain', 'scram-sha-256', 'scram-sha-512')`,
      '"client.ssl.servername" has no librdkafka equivalent',
      '"client.ssl.key" must be a PEM string, a Buffer or a list of them',
      '"client.retry.retries" librdkafka reconnects and retries without a count',
      `"client.retry.maxRetryTime" must be an integer of milliseconds in 1..300000`,
      '"client.logCreator"',
      '"consumer.rebalanceTimeout" librdkafka takes the rebalance timeout from max.poll.interval.ms',
      '"consumer.partitionAssigners" KafkaJS assigners do not run in librdkafka',
      '"consumer.maxBytes" must be at least 1000000',
      '"run.autoCommitThreshold" has no equivalent',
      '"producer" configures the replies of request-response @MessagePattern handlers',
      '"producerOnlyMode" a transport that does not consume',
    ])
      expect(message).toContain(option);
    expect(message).toContain('docs/MIGRATING.md');
  });

  it('refuses SASL without credentials and options that are not Transport.KAFKA options', () => {
    expect(problemsOf({ client: { brokers: ['a:1'], sasl: { mechanism: 'plain' } as never } })).toContain(
      `"client.sasl" mechanism 'plain' needs a username and a password`,
    );
    expect(problemsOf({ clinet: {} } as KafkaTransportOptions)).toContain(
      '"clinet" is not a Transport.KAFKA option',
    );
  });
});
