export { KafkaBatchConfigError } from './config/listener-options.resolver';
export { KafkaListenerRegistry } from './container/listener-container.registry';
export type { LeaveGroupDecision } from './container/listener-container.registry';
export type {
  ContainerState,
  ListenerContainer,
  StopOptions,
} from './container/listener-container.interface';
export type { PauseReason, SeekTarget } from './container/partition.state';
export { DeserializationError } from './records/record.decoder';
export { RecordValidationError, RecordValidator } from './records/record.validator';
export { ValueLimitError } from './records/value.limits';
export { BatchListener } from './discovery/batch-listener.decorator';
export { Ack, Batch, BatchTransaction, Values } from './discovery/kafka-batch-params';
export { OffsetsFencedError } from './exactly-once/offsets-fenced.error';
export {
  DEFAULT_OFFSETS_TABLE,
  KafkaBatchOffsetsMigration,
  offsetsTableDdl,
} from './exactly-once/offsets-table.migration';
export { DLT_HEADERS } from './failure/dead-letter.publisher';
export { RETRY_HEADERS, retryTopicName } from './failure/retry-topics';
export { BatchListenerFailedError } from './failure/retry.policy';
export { KafkaClientFactory } from './client/kafka-client.factory';
export {
  authenticationFailureInLog,
  describeAuthenticationFailure,
  isAuthenticationError,
  type ClientLogLine,
} from './client/authentication.failure';
export type { ConsumerClient, ConsumerEvents, CommitAnswer, RebalanceEvent } from './client/consumer.client';
export type { TopicPartition, TopicPartitionOffset } from './common/topic-partition';
export type * from './interfaces/batch-listener-options.interface';
export type * from './interfaces/kafka-batch-module-options.interface';
export type * from './interfaces/kafka-record.interface';
export type * from './interfaces/raw-record.interface';
export { KAFKA_BATCH_CONTEXT } from './kafka-batch.constants';
export { KafkaBatchModule } from './kafka-batch.module';
export type { ListenerEventMap, ListenerEventName } from './container/listener.events';
export type * from './lag/lag.interfaces';
export type { LagStatus } from './lag/lag-status';
export { KafkaLagMonitor } from './lag/lag.monitor';
export { KAFKA_BATCH_MODULE_OPTIONS } from './kafka-batch.module-definition';
export type * from './membership/rebalance-listener.interface';
