import { SetMetadata } from '@nestjs/common';
import type { BatchListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { KafkaRecord } from '../interfaces/kafka-record.interface';
import { BATCH_LISTENER_METADATA } from '../kafka-batch.constants';

/**
 * A method decorator that only takes methods whose first parameter accepts a KafkaRecord: what a
 * record listener's first argument (or its @Batch() parameter) is.
 */
export type RecordListenerDecorator = <M extends (record: KafkaRecord<never>, ...rest: never[]) => unknown>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<M>,
) => void;

/**
 * Marks a provider method as a listener. The method receives `(batch, ack)` (`(record, ack)` with
 * listenerType 'record'), or what the parameter decorators @Batch(), @Ack(), @Values() and
 * @BatchTransaction() select. With `listenerType: 'record'` the compiler holds the method's first
 * parameter to a KafkaRecord.
 */
export function BatchListener(
  options: BatchListenerOptions & { listenerType: 'record' },
): RecordListenerDecorator;
export function BatchListener(options: BatchListenerOptions): MethodDecorator;
export function BatchListener(options: BatchListenerOptions): MethodDecorator {
  return SetMetadata(BATCH_LISTENER_METADATA, options);
}
