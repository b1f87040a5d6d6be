export const BATCH_LISTENER_METADATA = 'kafka-batch:listener';
/** Where @Batch(), @Ack() and @Values() record a listener method's parameters. */
export const BATCH_LISTENER_ARGS_METADATA = 'kafka-batch:listener-args';
/** The ExecutionContext type handlers see: `context.getType() === 'kafka-batch'`. */
export const KAFKA_BATCH_CONTEXT = 'kafka-batch';
