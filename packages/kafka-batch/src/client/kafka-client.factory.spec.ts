import { resolveListenerOptions } from '../config/listener-options.resolver';
import type { BatchListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { KafkaBatchModuleOptions } from '../interfaces/kafka-batch-module-options.interface';
import { KafkaClientFactory } from './kafka-client.factory';

const moduleOptions: KafkaBatchModuleOptions = { brokers: ['a:9092', 'b:9092'], clientId: 'app' };

function configOf(options: Partial<BatchListenerOptions>, module = moduleOptions) {
  const listener = resolveListenerOptions('L', { topics: ['t'], groupId: 'g', ...options }, module);
  return new KafkaClientFactory(module).listenerConsumerConfig(listener);
}

describe('KafkaClientFactory.listenerConsumerConfig', () => {
  it('sizes the prefetch queue from the byte budget and fetches a full queue again after 20 ms', () => {
    expect(configOf({ maxInFlightBytes: 8 * 1024 * 1024 })).toMatchObject({
      'bootstrap.servers': 'a:9092,b:9092',
      'client.id': 'app-L',
      'queued.max.messages.kbytes': 4096,
      'fetch.max.bytes': 4 * 1024 * 1024,
      'fetch.queue.backoff.ms': 20,
      'group.id': 'g',
      'enable.auto.commit': false,
    });
    expect(configOf({})).toMatchObject({
      'queued.max.messages.kbytes': 32_768,
      'fetch.max.bytes': 33_554_432,
    });
  });

  it("takes the listener's and the module defaults' librdkafka properties over its own defaults", () => {
    const config = configOf(
      { rdkafka: { 'fetch.queue.backoff.ms': 200 } },
      { ...moduleOptions, defaults: { rdkafka: { 'max.partition.fetch.bytes': 131_072 } } },
    );
    expect(config['fetch.queue.backoff.ms']).toBe(200);
    expect(config['max.partition.fetch.bytes']).toBe(131_072);
  });
});
