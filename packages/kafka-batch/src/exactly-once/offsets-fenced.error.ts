import { describePartition, TopicPartitionOffset } from '../common/topic-partition';

/**
 * The database holds other offsets than this member expected for these partitions: another member
 * committed them (this one lost them, or a commit's answer was lost). The transaction was rolled
 * back; `stored` says where each partition really is, for the listener to seek there.
 */
export class OffsetsFencedError extends Error {
  override readonly name = 'OffsetsFencedError';

  constructor(readonly stored: readonly TopicPartitionOffset[]) {
    super(
      `stored offsets moved under this member: ${stored.map((s) => `${describePartition(s)} is at ${s.offset}`).join(', ')}; the transaction was rolled back`,
    );
  }
}
