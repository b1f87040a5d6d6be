export interface TopicPartition {
  readonly topic: string;
  readonly partition: number;
}

export interface TopicPartitionOffset extends TopicPartition {
  readonly offset: number;
}

/** The one key for a partition in the library's maps and sets. */
export const partitionKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/** How logs and errors name a partition: `readings[3]`. */
export const describePartition = ({ topic, partition }: TopicPartition): string => `${topic}[${partition}]`;

/** Partitions grouped by topic for a log line: `readings[0,1,4] alerts[2]`, or `nothing`. */
export function describePartitions(partitions: readonly TopicPartition[]): string {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions)
    byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  const described = [...byTopic].map(
    ([topic, numbers]) => `${topic}[${numbers.sort((a, b) => a - b).join(',')}]`,
  );
  return described.join(' ') || 'nothing';
}

/** Records of one partition for a log line: `readings[3]@1200`, or `500 records from readings[3]@1200`. */
export function describeRecords(records: readonly TopicPartitionOffset[]): string {
  const first = records[0];
  const at = `${describePartition(first)}@${first.offset}`;
  return records.length === 1 ? at : `${records.length} records from ${at}`;
}
