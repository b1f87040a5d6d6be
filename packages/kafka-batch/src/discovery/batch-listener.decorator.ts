import { SetMetadata } from '@nestjs/common';
import type { BatchListenerOptions } from '../interfaces/batch-listener-options.interface';
import { BATCH_LISTENER_METADATA } from '../kafka-batch.constants';

/**
 * Marks a provider method as a batch listener. The method receives `(batch, ack)`
 * (`(record, ack)` in ackMode 'record'), or what the parameter decorators @Batch(), @Ack() and
 * @Values() select.
 */
export const BatchListener = (options: BatchListenerOptions): MethodDecorator =>
  SetMetadata(BATCH_LISTENER_METADATA, options);
