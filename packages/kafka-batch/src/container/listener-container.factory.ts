import { Injectable } from '@nestjs/common';
import type { ListenerInvoker } from '../batch/batch.runner';
import { KafkaClientFactory } from '../client/kafka-client.factory';
import { DeadLetterPublisher } from '../failure/dead-letter.publisher';
import type { ResolvedListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { KafkaRebalanceListener } from '../membership/rebalance-listener.interface';
import { KafkaListenerContainer } from './listener.container';

/** Builds a listener's container with its clients: the consumer and, when enabled, the dead-letter publisher. */
@Injectable()
export class ListenerContainerFactory {
  constructor(private readonly clients: KafkaClientFactory) {}

  create(
    options: ResolvedListenerOptions,
    invoke: ListenerInvoker,
    rebalanceListener?: KafkaRebalanceListener,
  ): KafkaListenerContainer {
    const { deadLetter, groupId } = options;
    return new KafkaListenerContainer(options, {
      invoke,
      rebalanceListener,
      consumer: (events) => this.clients.listenerConsumer(options, events),
      deadLetters: deadLetter.enabled
        ? new DeadLetterPublisher(
            this.clients.deadLetterProducer(options),
            groupId,
            deadLetter.topic,
            deadLetter.stackTrace,
          )
        : undefined,
    });
  }
}
