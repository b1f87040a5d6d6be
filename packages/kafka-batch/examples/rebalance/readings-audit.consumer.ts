import { Injectable, Logger } from '@nestjs/common';
import { BatchListener, KafkaBatch } from '@org/kafka-batch';
import { AuditRebalanceListener } from './audit.rebalance-listener';

/** Logs the offsets it receives; with the rebalance listener's lines, who read what and when. */
@Injectable()
export class ReadingsAuditConsumer {
  private readonly logger = new Logger(ReadingsAuditConsumer.name);

  @BatchListener({
    topics: ['telemetry'],
    groupId: 'telemetry-audit',
    deserializer: 'raw', // offsets are all this consumer needs: no JSON parsing
    rebalanceListener: AuditRebalanceListener,
  })
  onBatch(batch: KafkaBatch<Buffer | null>): void {
    for (const { topic, partition, firstOffset, lastOffset } of batch.partitions)
      this.logger.log(`${topic}[${partition}] ${firstOffset}..${lastOffset}`);
  }
}
