import { INestApplicationContext, Logger } from '@nestjs/common';
import {
  ConsumerDeserializer,
  CustomTransportStrategy,
  KafkaParser,
  ReadPacket,
  Server,
  Transport,
} from '@nestjs/microservices';
// ServerKafka's own deserializer, which the package index does not re-export.
import { KafkaRequestDeserializer } from '@nestjs/microservices/deserializers/kafka-request.deserializer';
import { KafkaClientFactory } from '../client/kafka-client.factory';
import { KafkaBatchConfigError, resolveListenerOptions } from '../config/listener-options.resolver';
import { ListenerContainerFactory } from '../container/listener-container.factory';
import type { ListenerContainer } from '../container/listener-container.interface';
import { KafkaListenerRegistry } from '../container/listener-container.registry';
import type { ListenerEventMap, ListenerEventName } from '../container/listener.events';
import type {
  BatchListenerOptions,
  ResolvedListenerOptions,
} from '../interfaces/batch-listener-options.interface';
import { createEventPatternInvoker, EventPatternServer } from './event-pattern.invoker';
import { KafkaContextFactory } from './kafka-context.factory';
import {
  KafkaTransportOptions,
  TranslatedTransportOptions,
  translateTransportOptions,
} from './kafkajs-options.translator';

/** The library's listener options a transport takes beside the Transport.KAFKA options. */
export interface KafkaBatchTransportSettings extends Omit<
  BatchListenerOptions,
  | 'topics'
  | 'topicPattern'
  | 'groupId'
  | 'listenerType'
  | 'deserializer'
  | 'validate'
  | 'exactlyOnce'
  | 'rebalanceListener'
  | 'autoStartup'
> {
  /** The listener's id in logs, health, metrics and KafkaListenerRegistry. Default 'KafkaBatchTransport'. */
  id?: string;
  /**
   * The application whose KafkaBatchModule should own the listener: it then appears in
   * KafkaListenerRegistry, the health indicator, the lag monitor and the metrics. A function when
   * the application is the microservice itself (`() => app` of NestFactory.createMicroservice).
   */
  app?: INestApplicationContext | (() => INestApplicationContext);
  /** The clients the listener uses; tests give a factory whose consumer is a fake. */
  clients?: KafkaClientFactory;
}

type KafkaStatus = 'connected' | 'crashed' | 'stopped';
type ListenerEventHandlers = { [E in ListenerEventName]: (...args: ListenerEventMap[E]) => void };

/**
 * A `@nestjs/microservices` transport that takes the options of `Transport.KAFKA` as they are
 * and serves the application's `@EventPattern` (and event-style `@MessagePattern`) handlers on
 * one listener of the library: static membership, cooperative-sticky rebalancing, retries,
 * dead-letter topics, backpressure, and a record's offset committed only once its handler
 * finished.
 *
 *     app.connectMicroservice({ strategy: new KafkaBatchTransport(options) });
 */
export class KafkaBatchTransport
  extends Server<ListenerEventHandlers, KafkaStatus>
  implements CustomTransportStrategy
{
  // Handlers declared `@EventPattern(topic, Transport.KAFKA)` are registered on this transport too.
  override readonly transportId = Transport.KAFKA;
  protected override readonly logger = new Logger(KafkaBatchTransport.name);
  private readonly translated: TranslatedTransportOptions;
  private readonly valueParser: KafkaParser;
  private container: ListenerContainer | undefined;

  constructor(
    options: KafkaTransportOptions = {},
    private readonly settings: KafkaBatchTransportSettings = {},
  ) {
    super();
    this.translated = translateTransportOptions(options);
    this.valueParser = new KafkaParser({ keepBinary: this.translated.keepBinary });
    this.deserializer =
      (options.deserializer as ConsumerDeserializer | undefined) ?? new KafkaRequestDeserializer();
  }

  /**
   * The brokers, client id and security properties of Transport.KAFKA options as module options:
   * `KafkaBatchModule.forRoot(KafkaBatchTransport.clientOptions(kafkaOptions))` reaches the same
   * cluster as the transport, with the same credentials.
   */
  static clientOptions(options?: KafkaTransportOptions): TranslatedTransportOptions['client'] {
    return translateTransportOptions(options).client;
  }

  async listen(callback: (error?: unknown) => void): Promise<void> {
    try {
      const topics = [...this.messageHandlers.keys()];
      if (topics.length === 0) {
        this.logger.warn('no @EventPattern handler: nothing to consume');
        return callback();
      }
      if (this.container) throw new Error('KafkaBatchTransport is listening already');
      const container = this.createContainer(this.listenerOptions(topics));
      this.container = container;
      container.on('fatal', () => this._status$.next('crashed'));
      await container.start();
      // A fatal error while connecting (refused credentials) ends the start without a throw.
      if (container.state === 'failed') return callback(container.error);
      this._status$.next('connected');
      callback();
    } catch (err) {
      callback(err);
    }
  }

  async close(): Promise<void> {
    await this.container?.stop();
    this._status$.next('stopped');
  }

  /** The listener's events ('handled', 'deadLettered', 'committed', 'rebalanced', 'fatal'). */
  on<E extends ListenerEventName>(event: E, callback: ListenerEventHandlers[E]): () => void {
    return this.listening().on(event, callback);
  }

  /** The listener container: its state, assignment, pause, resume and seek. */
  unwrap<T = ListenerContainer>(): T {
    return this.listening() as T;
  }

  private listening(): ListenerContainer {
    if (!this.container)
      throw new Error('KafkaBatchTransport is not listening yet: call app.startAllMicroservices() first');
    return this.container;
  }

  private listenerOptions(topics: string[]): ResolvedListenerOptions {
    const { app: _app, clients: _clients, id = 'KafkaBatchTransport', ...listener } = this.settings;
    if (listener.ackMode === 'manual')
      throw new KafkaBatchConfigError(
        `KafkaBatchTransport "${id}": ackMode 'manual' is not possible (an @EventPattern handler has no acknowledgment); allowed: 'batch', 'record'`,
      );
    return resolveListenerOptions(id, {
      ...this.translated.listener,
      ...listener,
      rdkafka: { ...this.translated.listener.rdkafka, ...listener.rdkafka },
      topics,
      listenerType: 'record',
      // Values are decoded as ServerKafka does, within the listener's value limits.
      deserializer: this.translated.keepBinary
        ? 'raw'
        : (value: Buffer | null) => this.valueParser.decode(value!),
    });
  }

  private createContainer(options: ResolvedListenerOptions): ListenerContainer {
    const clients = this.settings.clients ?? new KafkaClientFactory(this.translated.client);
    const contexts = new KafkaContextFactory({
      seek: (topic, partition, offset) => this.container!.seek(topic, partition, offset),
    });
    const invoke = createEventPatternInvoker(this.eventPatternServer(), contexts, this.logger);
    const container = new ListenerContainerFactory(clients).create(options, invoke);
    this.registryOf(options.id)?.register(container);
    return container;
  }

  private registryOf(id: string): KafkaListenerRegistry | undefined {
    const { app } = this.settings;
    if (!app) return undefined;
    try {
      return (typeof app === 'function' ? app() : app).get(KafkaListenerRegistry, { strict: false });
    } catch {
      throw new KafkaBatchConfigError(
        `KafkaBatchTransport "${id}": setting "app" is given but the application has no KafkaBatchModule; import KafkaBatchModule.forRoot({ brokers }) for the registry, health and metrics, or leave "app" out`,
      );
    }
  }

  private eventPatternServer(): EventPatternServer {
    return {
      getHandlerByPattern: (pattern) => this.getHandlerByPattern(pattern),
      deserialize: (message, channel) =>
        this.deserializer.deserialize(message, { channel }) as ReadPacket | Promise<ReadPacket>,
      process: (context, done) => this.onProcessingStartHook(this.transportId, context, done),
      processed: (context) => this.onProcessingEndHook?.(this.transportId, context),
    };
  }
}
