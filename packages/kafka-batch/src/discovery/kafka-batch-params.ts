import { assignMetadata, PipeTransform, Type } from '@nestjs/common';
import type { ParamsFactory } from '@nestjs/core';
import type { KafkaBatch, KafkaRecord } from '../interfaces/kafka-record.interface';
import { BATCH_LISTENER_ARGS_METADATA } from '../kafka-batch.constants';

enum KafkaBatchParamtype {
  PAYLOAD,
  ACK,
  VALUES,
  TRANSACTION,
}

/**
 * Resolves @Batch(), @Ack(), @Values() and @BatchTransaction() from the arguments the container
 * passes: (payload, ack, transaction).
 */
export class KafkaBatchParamsFactory implements ParamsFactory {
  exchangeKeyForValue(
    type: number,
    _data: unknown,
    [payload, ack, transaction]: [KafkaBatch | KafkaRecord, unknown, unknown],
  ): unknown {
    switch (type as KafkaBatchParamtype) {
      case KafkaBatchParamtype.PAYLOAD:
        return payload;
      case KafkaBatchParamtype.ACK:
        return ack;
      case KafkaBatchParamtype.VALUES:
        return 'values' in payload ? payload.values : [payload.value];
      case KafkaBatchParamtype.TRANSACTION:
        return transaction;
      default:
        return undefined;
    }
  }
}

function paramDecorator(type: KafkaBatchParamtype) {
  return (...pipes: (Type<PipeTransform> | PipeTransform)[]): ParameterDecorator =>
    (target, key, index) => {
      const args = Reflect.getMetadata(BATCH_LISTENER_ARGS_METADATA, target.constructor, key!) ?? {};
      Reflect.defineMetadata(
        BATCH_LISTENER_ARGS_METADATA,
        assignMetadata(args, type, index, undefined, ...pipes),
        target.constructor,
        key!,
      );
    };
}

/** The KafkaBatch (or the KafkaRecord with listenerType 'record'), through the given pipes. */
export const Batch = paramDecorator(KafkaBatchParamtype.PAYLOAD);
/** The Acknowledgment. */
export const Ack = paramDecorator(KafkaBatchParamtype.ACK);
/** The decoded values of the batch, through the given pipes. */
export const Values = paramDecorator(KafkaBatchParamtype.VALUES);
/**
 * Exactly-once mode: the TypeORM EntityManager of the invocation's transaction, which also stores
 * the batch's offsets. Write through it (the bulk repository's `manager` option); undefined in
 * the other modes.
 */
export const BatchTransaction = paramDecorator(KafkaBatchParamtype.TRANSACTION);
