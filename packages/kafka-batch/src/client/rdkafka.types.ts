import type { Assignment, KafkaConsumer } from '@confluentinc/kafka-javascript';

/**
 * Consumer methods the client implements but its type declarations omit
 * (lib/kafka-consumer.js of @confluentinc/kafka-javascript 1.x).
 */
export interface RdKafkaConsumer extends KafkaConsumer {
  incrementalAssign(assignments: Assignment[]): this;
  incrementalUnassign(assignments: Assignment[]): this;
  assignmentLost(): boolean;
  rebalanceProtocol(): 'NONE' | 'EAGER' | 'COOPERATIVE';
  setDefaultIsTimeoutOnlyForFirstMessage(isTimeoutOnlyForFirstMessage: boolean): void;
}

/** Turns a node-style callback call into a promise (the client's overloads type callbacks loosely). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function fromCallback<T = void>(call: (done: (err: any, value?: any) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => call((err, value) => (err ? reject(err) : resolve(value as T))));
}
