import { KafkaContext, KafkaParser } from '@nestjs/microservices';
import type { KafkaRecord } from '../interfaces/kafka-record.interface';

type KafkaJsConsumer = ReturnType<KafkaContext['getConsumer']>;
type KafkaJsProducer = ReturnType<KafkaContext['getProducer']>;
type KafkaJsMessage = ReturnType<KafkaContext['getMessage']>;

/** Where a handler's `getConsumer().seek()` goes: the listener repositions the partition. */
export interface PartitionSeeking {
  seek(topic: string, partition: number, offset: number): void;
}

const heartbeat = (): Promise<void> => Promise.resolve();

/**
 * Builds the KafkaContext an `@EventPattern` handler gets under `Transport.KAFKA`: the message as
 * ServerKafka parses it (key and headers decoded, offset and timestamp as strings), its topic and
 * partition, and stand-ins for the KafkaJS consumer and producer that do what has a meaning here
 * and say so for the rest.
 */
export class KafkaContextFactory {
  /** Keys and headers only: the listener decoded the value already, with its limits. */
  private readonly parser = new KafkaParser({ keepBinary: true });
  private readonly consumer: KafkaJsConsumer;
  private readonly producer = unavailable<KafkaJsProducer>(
    'getProducer()',
    'the transport sends no replies; inject a producer of your own to publish',
  );

  constructor(listener: PartitionSeeking) {
    this.consumer = unavailable<KafkaJsConsumer>(
      'getConsumer()',
      'the listener owns the consumer (KafkaListenerRegistry pauses, resumes and seeks it)',
      {
        // librdkafka heartbeats on its own thread, and a record is committed once its handler finished.
        commitOffsets: () => Promise.resolve(),
        seek: ({ topic, partition, offset }: { topic: string; partition: number; offset: string }) =>
          listener.seek(topic, partition, Number(offset)),
      },
    );
  }

  create(record: KafkaRecord): KafkaContext {
    const message = this.parser.parse<KafkaJsMessage>({
      topic: record.topic,
      partition: record.partition,
      key: record.key,
      value: record.value,
      timestamp: String(record.timestamp ?? -1),
      attributes: 0,
      offset: String(record.offset),
      size: record.size,
      headers: kafkaJsHeaders(record.headerList),
    });
    return new KafkaContext([
      message,
      record.partition,
      record.topic,
      this.consumer,
      heartbeat,
      this.producer,
    ]);
  }
}

/** KafkaJS gives a repeated header as the list of its values. */
function kafkaJsHeaders(headerList: KafkaRecord['headerList']): Record<string, Buffer | Buffer[]> {
  const headers: Record<string, Buffer | Buffer[]> = {};
  for (const [name, value] of headerList) {
    const seen = headers[name];
    headers[name] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return headers;
}

/**
 * An object whose `methods` work and whose every other method throws, naming what the handler
 * called and why it is not there: better than a KafkaJS object that silently does nothing.
 */
function unavailable<T>(what: string, why: string, methods: Record<string, unknown> = {}): T {
  return new Proxy(methods, {
    get(target, property) {
      if (typeof property === 'symbol' || property === 'then') return undefined;
      if (property in target) return target[property];
      return () => {
        throw new Error(`KafkaContext.${what}.${property}() is not available on KafkaBatchTransport: ${why}`);
      };
    },
  }) as T;
}
