/**
 * Turns a librdkafka node-style callback call into a promise. The callback is typed loosely on
 * purpose: the client's overloads type their callbacks differently for the same shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type NodeCallback = (err: any, value?: any) => void;

export function fromCallback<T = void>(call: (done: NodeCallback) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => call((err, value) => (err ? reject(err) : resolve(value as T))));
}
