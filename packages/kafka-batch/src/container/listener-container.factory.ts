import { Injectable } from '@nestjs/common';
import type { ListenerInvoker } from '../batch/batch.runner';
import { KafkaClientFactory } from '../client/kafka-client.factory';
import { systemClock } from '../common/clock';
import { DeadLetterPublisher } from '../failure/dead-letter.publisher';
import { RetryTopics } from '../failure/retry-topics';
import type { ResolvedListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { KafkaRebalanceListener } from '../membership/rebalance-listener.interface';
import { KafkaListenerContainer } from './listener.container';
import type { DataSource } from 'typeorm';
import { TypeOrmOffsetStore } from '../exactly-once/typeorm-offset.store';

/**
 * Builds a listener's container with its clients: the consumer and, when enabled, the dead-letter
 * publisher and the offsets table of the exactly-once mode.
 */
@Injectable()
export class ListenerContainerFactory {
  constructor(private readonly clients: KafkaClientFactory) {}

  create(
    options: ResolvedListenerOptions,
    invoke: ListenerInvoker,
    rebalanceListener?: KafkaRebalanceListener,
    dataSource?: DataSource,
  ): KafkaListenerContainer {
    const { deadLetter, groupId, exactlyOnce, topics } = options;
    const retryTopics =
      options.retryTopics &&
      new RetryTopics(topics, options.retryTopics.delaysMs, deadLetter.topic, systemClock);
    return new KafkaListenerContainer(options, {
      invoke,
      rebalanceListener,
      offsetStore: dataSource && exactlyOnce && new TypeOrmOffsetStore(dataSource, exactlyOnce.table),
      consumer: (events) => this.clients.listenerConsumer(options, events),
      memberRemover: () => this.clients.staticMemberRemover(options),
      deadLetters: deadLetter.enabled
        ? new DeadLetterPublisher(
            () => this.clients.deadLetterProducer(options),
            groupId,
            deadLetter.topic,
            deadLetter.stackTrace,
            retryTopics,
          )
        : undefined,
      retryTopics,
    });
  }
}
