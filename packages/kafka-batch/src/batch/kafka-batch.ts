import type { KafkaBatch, KafkaRecord, PartitionRecords } from '../interfaces/kafka-record.interface';

/** Builds the batch a handler receives from records already grouped by partition. */
export function createBatch<T>(
  listenerId: string,
  groupId: string,
  records: KafkaRecord<T>[],
): KafkaBatch<T> {
  const partitions: PartitionRecords<T>[] = [];
  let start = 0;
  for (let i = 1; i <= records.length; i++) {
    const first = records[start];
    if (i < records.length && records[i].partition === first.partition && records[i].topic === first.topic)
      continue;
    const slice = records.slice(start, i);
    partitions.push({
      topic: first.topic,
      partition: first.partition,
      records: slice,
      firstOffset: first.offset,
      lastOffset: slice[slice.length - 1].offset,
    });
    start = i;
  }
  return {
    listenerId,
    groupId,
    records,
    values: records.map((r) => r.value),
    size: records.length,
    partitions,
  };
}
