import type { KafkaOptions } from '@nestjs/microservices';
import type { BatchListenerOptions, LibrdkafkaConfig } from '../interfaces/batch-listener-options.interface';
import type { KafkaBatchModuleOptions } from '../interfaces/kafka-batch-module-options.interface';
import { translateClient, translateRetry } from './kafkajs-client.translator';
import { TranslationProblems } from './translation.problems';

/** The `options` of `{ transport: Transport.KAFKA, options }`, as @nestjs/microservices types them. */
export type KafkaTransportOptions = NonNullable<KafkaOptions['options']>;
type KafkaJsConsumerConfig = NonNullable<KafkaTransportOptions['consumer']>;

/** ServerKafka's defaults, so a migrated service keeps its client id and, above all, its group. */
const NEST_DEFAULT_CLIENT_ID = 'nestjs-consumer';
const NEST_DEFAULT_GROUP_ID = 'nestjs-group';
const NEST_SERVER_POSTFIX = '-server';

/** Consumer settings that are listener options of the library. */
const CONSUMER_OPTIONS: Readonly<Record<string, keyof BatchListenerOptions>> = {
  sessionTimeout: 'sessionTimeoutMs',
  heartbeatInterval: 'heartbeatIntervalMs',
  minBytes: 'fetchMinBytes',
  maxWaitTimeInMs: 'fetchMaxWaitMs',
};

/** Consumer settings that are plain librdkafka properties. */
const CONSUMER_PROPERTIES: Readonly<Record<string, string>> = {
  metadataMaxAge: 'topic.metadata.refresh.interval.ms',
  maxBytesPerPartition: 'max.partition.fetch.bytes',
  maxBytes: 'fetch.max.bytes',
  allowAutoTopicCreation: 'allow.auto.create.topics',
  maxInFlightRequests: 'max.in.flight.requests.per.connection',
  rackId: 'client.rack',
};

/** librdkafka refuses a fetch.max.bytes below message.max.bytes (default 1,000,000) when the consumer starts. */
const MIN_FETCH_MAX_BYTES = 1_000_000;

/** Settings of the KafkaJS producer, which only sends request-response replies there. */
const REPLY_SETTINGS = ['producer', 'send', 'serializer'];

export interface TranslatedTransportOptions {
  /** Brokers, client id and the security properties shared by every client. */
  client: Required<Pick<KafkaBatchModuleOptions, 'brokers' | 'clientId' | 'rdkafka'>>;
  /** The listener the transport's handlers run on, before the transport's own settings. */
  listener: BatchListenerOptions & { groupId: string };
  /** `parser.keepBinary`: values reach the handlers as the bytes that arrived. */
  keepBinary: boolean;
}

/**
 * Translates the options object of a `Transport.KAFKA` microservice, as it is, to the library's:
 * client and group ids with Nest's postfix, security, fetch and group settings. Everything
 * without an equivalent is reported in one KafkaBatchConfigError, naming each option.
 */
export function translateTransportOptions(options: KafkaTransportOptions = {}): TranslatedTransportOptions {
  const problems = new TranslationProblems();
  const { postfixId = NEST_SERVER_POSTFIX, client, consumer, subscribe, run, parser, ...rest } = options;
  const { brokers, rdkafka } = translateClient(client, problems);
  const listener = translateConsumer(consumer, problems);
  // The consumer's log level is its own property (the library sets one for consumers).
  if (rdkafka.log_level !== undefined)
    listener.rdkafka = { ...listener.rdkafka, log_level: rdkafka.log_level };
  listener.groupId = (consumer?.groupId ?? NEST_DEFAULT_GROUP_ID) + postfixId;
  // KafkaJS starts a new group at the end of the log unless told fromBeginning.
  listener.autoOffsetReset = subscribe?.fromBeginning ? 'earliest' : 'latest';
  for (const name of Object.keys(subscribe ?? {}))
    if (name !== 'fromBeginning')
      problems.add(`subscribe.${name}`, 'the topics are the @EventPattern patterns');
  for (const [name, value] of Object.entries(run ?? {})) {
    if (value === undefined || name === 'autoCommit') continue;
    if (name === 'partitionsConsumedConcurrently') listener.concurrency = Number(value);
    else if (name === 'autoCommitInterval') listener.commitIntervalMs = Number(value);
    else
      problems.add(
        `run.${name}`,
        'has no equivalent: a record is committed once its handler finished and the records before it are done, asynchronously after each batch or every commitIntervalMs',
      );
  }
  for (const [name, value] of Object.entries(rest)) {
    if (value === undefined || name === 'deserializer') continue;
    if (name === 'producerOnlyMode')
      problems.add(
        name,
        value ? 'a transport that does not consume has nothing to run on the library' : 'remove it',
      );
    else if (REPLY_SETTINGS.includes(name))
      problems.add(
        name,
        'configures the replies of request-response @MessagePattern handlers, which the transport does not serve; remove it',
      );
    else problems.add(name, 'is not a Transport.KAFKA option');
  }
  problems.throwIfAny();
  return {
    client: { brokers, clientId: (client?.clientId ?? NEST_DEFAULT_CLIENT_ID) + postfixId, rdkafka },
    listener,
    keepBinary: parser?.keepBinary ?? false,
  };
}

function translateConsumer(
  consumer: KafkaJsConsumerConfig | undefined,
  problems: TranslationProblems,
): BatchListenerOptions & { groupId: string } {
  const listener: Record<string, unknown> = {};
  const { retry, ...rest } = consumer ?? {};
  const rdkafka: LibrdkafkaConfig = translateRetry(retry, 'consumer.retry', problems);
  for (const [name, value] of Object.entries(rest)) {
    if (value === undefined || name === 'groupId') continue;
    const path = `consumer.${name}`;
    if (name === 'maxBytes' && Number(value) < MIN_FETCH_MAX_BYTES)
      problems.add(path, `must be at least ${MIN_FETCH_MAX_BYTES} in librdkafka (its message.max.bytes)`);
    else if (CONSUMER_OPTIONS[name]) listener[CONSUMER_OPTIONS[name]] = value;
    else if (CONSUMER_PROPERTIES[name])
      rdkafka[CONSUMER_PROPERTIES[name]] = value as string | number | boolean;
    else if (name === 'readUncommitted')
      rdkafka['isolation.level'] = value ? 'read_uncommitted' : 'read_committed';
    else if (name === 'partitionAssigners')
      problems.add(
        path,
        'KafkaJS assigners do not run in librdkafka: the transport\'s "assignor" setting chooses one (default cooperative-sticky)',
      );
    else if (name === 'rebalanceTimeout')
      problems.add(
        path,
        'librdkafka takes the rebalance timeout from max.poll.interval.ms: use the transport\'s "maxPollIntervalMs" setting',
      );
    else problems.add(path, 'has no librdkafka equivalent; remove it');
  }
  return { ...listener, groupId: '', rdkafka } as BatchListenerOptions & { groupId: string };
}
