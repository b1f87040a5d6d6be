// Compiled by `pnpm typecheck`: each @ts-expect-error must meet its error, or the check fails.
import { Injectable } from '@nestjs/common';
import { BatchListener } from '../../../src/discovery/batch-listener.decorator';
import type { Acknowledgment, KafkaBatch, KafkaRecord } from '../../../src/interfaces/kafka-record.interface';

interface Reading {
  deviceId: string;
}

@Injectable()
export class TypedListeners {
  @BatchListener({ topics: ['t'], groupId: 'g', listenerType: 'record', ackMode: 'manual' })
  onRecord(record: KafkaRecord<Reading>, ack: Acknowledgment): void {
    if (record.value.deviceId) ack.acknowledge(record);
  }

  // @ts-expect-error a record listener's method does not take a batch
  @BatchListener({ topics: ['t'], groupId: 'g', listenerType: 'record' })
  onRecordAsBatch(batch: KafkaBatch<Reading>): number {
    return batch.size;
  }

  @BatchListener({ topics: ['t'], groupId: 'g', ackMode: 'manual' })
  onBatch(batch: KafkaBatch<Reading>, ack: Acknowledgment): void {
    if (batch.values.length > 0) ack.acknowledge();
  }
}
