import { AdminClient, IAdminClient, Producer } from '@confluentinc/kafka-javascript';
import { Inject, Injectable } from '@nestjs/common';
import { deadLetterProducerConfig } from '../failure/dead-letter.publisher';
import type {
  LibrdkafkaConfig,
  ResolvedListenerOptions,
} from '../interfaces/batch-listener-options.interface';
import type { KafkaBatchModuleOptions } from '../interfaces/kafka-batch-module-options.interface';
import { KAFKA_BATCH_MODULE_OPTIONS } from '../kafka-batch.module-definition';
import { membershipConfig } from '../membership/membership.config';
import { BrokerConnection } from '../membership/wire/broker.connection';
import { StaticMemberRemover, WireStaticMemberRemover } from '../membership/wire/static-member.remover';
import { wireClientConfig } from '../membership/wire/wire-client.config';
import type { ConsumerClient, ConsumerEvents } from './consumer.client';
import { RdKafkaConsumerClient } from './rdkafka-consumer.client';

/**
 * How long one consume() call waits for a first record. Rebalance events and seeks wait for the
 * call under way to return: at 200 ms the first records of a new assignment came 200 ms late.
 */
const CONSUME_TIMEOUT_MS = 50;

/**
 * librdkafka postpones a partition's next fetch by fetch.queue.backoff.ms (1 s by default) once its
 * prefetch queue is over queued.max.messages.kbytes, which the library sizes from the byte budget:
 * with a small queue the partitions waited out that second with nothing fetched. 20 ms drained the
 * telemetry app's backlog 1.3x faster with less CPU per reading (bench/README.md, 2026-12-07).
 */
const FETCH_QUEUE_BACKOFF_MS = 20;

/** Bounds the connect, the authentication and each request of a static member's removal. */
const MEMBER_REMOVAL_TIMEOUT_MS = 10_000;

/**
 * Builds every librdkafka client the library makes, from the module's options: the listeners'
 * consumers, their dead-letter producers and the lag monitor's admin client. Override this provider
 * to give listeners another client (tests give them a fake consumer).
 */
@Injectable()
export class KafkaClientFactory {
  constructor(@Inject(KAFKA_BATCH_MODULE_OPTIONS) private readonly module: KafkaBatchModuleOptions) {}

  listenerConsumer(listener: ResolvedListenerOptions, events: ConsumerEvents): ConsumerClient {
    return new RdKafkaConsumerClient(
      this.listenerConsumerConfig(listener),
      { 'auto.offset.reset': listener.autoOffsetReset },
      events,
      CONSUME_TIMEOUT_MS,
    );
  }

  deadLetterProducer(listener: ResolvedListenerOptions): Producer {
    return new Producer(deadLetterProducerConfig(this.common(`${listener.id}-dlt`)));
  }

  /** Connects like the listener's consumer; throws when its security settings are beyond it. */
  staticMemberRemover(listener: ResolvedListenerOptions): StaticMemberRemover {
    const { bootstrap, settings } = wireClientConfig(
      { ...this.common(`${listener.id}-leave`), ...listener.rdkafka },
      MEMBER_REMOVAL_TIMEOUT_MS,
    );
    return new WireStaticMemberRemover(bootstrap, (address) => BrokerConnection.open(address, settings));
  }

  admin(role: string): IAdminClient {
    return AdminClient.create(this.common(role));
  }

  /**
   * A listener consumer's librdkafka properties. The listener's own properties come after the
   * module's, and the ones at-least-once depends on come last (the options resolver also rejects
   * attempts to set them).
   */
  listenerConsumerConfig(listener: ResolvedListenerOptions): LibrdkafkaConfig {
    // librdkafka's prefetch queue is memory outside the in-flight budget: size it with the budget.
    const queuedKbytes = Math.max(1024, Math.min(65_536, Math.floor(listener.maxInFlightBytes / 1024 / 2)));
    return {
      ...this.common(listener.id),
      'fetch.min.bytes': listener.fetchMinBytes,
      'fetch.wait.max.ms': listener.fetchMaxWaitMs,
      'queued.max.messages.kbytes': queuedKbytes,
      'fetch.max.bytes': Math.min(52_428_800, queuedKbytes * 1024),
      'fetch.queue.backoff.ms': FETCH_QUEUE_BACKOFF_MS,
      log_level: 4,
      ...listener.rdkafka,
      ...membershipConfig(listener),
      'group.id': listener.groupId,
      'enable.auto.commit': false,
      'enable.auto.offset.store': false,
      'enable.partition.eof': false,
    };
  }

  /** Brokers, client id and the module's SSL/SASL properties, shared by every client. */
  common(role: string): LibrdkafkaConfig {
    const { brokers, clientId, rdkafka } = this.module;
    return {
      'bootstrap.servers': Array.isArray(brokers) ? brokers.join(',') : brokers,
      'client.id': `${clientId ?? 'kafka-batch'}-${role}`,
      ...rdkafka,
    };
  }
}
