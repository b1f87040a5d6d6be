/**
 * What the harness tells a consumer under test, through its environment: the consumers are
 * separate processes so that their CPU and memory can be measured alone.
 */
export interface ConsumerSettings {
  topic: string;
  groupId: string;
  /** Records per batch: maxPollRecords of a listener, the flush size of hand-made batching. */
  batchSize: number;
  /** Batches handled at once (the library's `concurrency`). */
  concurrency: number;
  /** Hand-made batching writes a partial buffer after this long. */
  flushMs: number;
  /** How often progress is reported. */
  tickMs: number;
  /** The library's listener: exactly-once (the app's setting) or at-least-once. */
  delivery: Delivery;
}

export type Delivery = 'exactly-once' | 'at-least-once';

const PREFIX = 'BENCH_CONSUMER_';

export function consumerEnv(settings: ConsumerSettings): Record<string, string> {
  return Object.fromEntries(Object.entries(settings).map(([key, value]) => [PREFIX + key, String(value)]));
}

export function consumerSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): ConsumerSettings {
  const read = (key: keyof ConsumerSettings): string => {
    const value = env[PREFIX + key];
    if (value === undefined)
      throw new Error(`${PREFIX + key} is not set: consumers are started by the harness`);
    return value;
  };
  return {
    topic: read('topic'),
    groupId: read('groupId'),
    batchSize: Number(read('batchSize')),
    concurrency: Number(read('concurrency')),
    flushMs: Number(read('flushMs')),
    tickMs: Number(read('tickMs')),
    delivery: read('delivery') === 'at-least-once' ? 'at-least-once' : 'exactly-once',
  };
}
