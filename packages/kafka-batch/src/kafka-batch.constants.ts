export const BATCH_LISTENER_METADATA = 'kafka-batch:listener';
/** The ExecutionContext type handlers see: `context.getType() === 'kafka-batch'`. */
export const KAFKA_BATCH_CONTEXT = 'kafka-batch';
