import { Injectable, Logger } from '@nestjs/common';
import type { CommittedPartition, KafkaRebalanceListener, TopicPartitionRef } from '@org/kafka-batch';

const names = (partitions: TopicPartitionRef[]) =>
  partitions.map(({ topic, partition }) => `${topic}[${partition}]`).join(', ');

/** Logs which partitions this member gains and gives up, and at which committed offset. */
@Injectable()
export class AuditRebalanceListener implements KafkaRebalanceListener {
  private readonly logger = new Logger(AuditRebalanceListener.name);

  onPartitionsAssigned(partitions: TopicPartitionRef[]): void {
    this.logger.log(`assigned ${names(partitions)}`);
  }

  // Their in-flight batches have finished; what those acknowledged is committed next.
  onPartitionsRevokedBeforeCommit(partitions: TopicPartitionRef[]): void {
    this.logger.log(`revoking ${names(partitions)}`);
  }

  // The offsets are the broker's confirmed ones: the next owner starts there.
  onPartitionsRevoked(partitions: CommittedPartition[]): void {
    const positions = partitions.map((p) => `${p.topic}[${p.partition}]@${p.offset ?? 'none'}`);
    this.logger.log(`revoked ${positions.join(', ')}`);
  }

  // Nothing was committed: the next owner receives the in-flight records again.
  onPartitionsLost(partitions: TopicPartitionRef[]): void {
    this.logger.warn(`lost ${names(partitions)}`);
  }
}
