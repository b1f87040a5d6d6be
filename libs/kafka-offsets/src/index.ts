export { fromCallback, type NodeCallback } from './callback';
export { KafkaOffsetsReader, sum, type GroupLag, type PartitionOffsets } from './kafka-offsets.reader';
