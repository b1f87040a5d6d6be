import type { LoggerService } from '@nestjs/common';
import { resolveListenerOptions } from '../../../src/config/listener-options.resolver';
import { KafkaListenerContainer } from '../../../src/container/listener.container';
import type { BatchListenerOptions } from '../../../src/interfaces/batch-listener-options.interface';
import type { Acknowledgment, KafkaBatch, KafkaRecord } from '../../../src/interfaces/kafka-record.interface';
import type { KafkaRebalanceListener } from '../../../src/membership/rebalance-listener.interface';
import type { OffsetStore } from '../../../src/exactly-once/offset.store';
import { FakeClock } from './fake.clock';
import { FakeConsumer } from './fake.consumer';
import { FakeDeadLetters } from './fake.dead-letters';
import { RetryTopics } from '../../../src/failure/retry-topics';
import type { StopOptions } from '../../../src/container/listener-container.interface';
import type { StaticMemberRemover } from '../../../src/membership/wire/static-member.remover';

export const TOPIC = 't';

/** A handler invocation as the test saw it: the offsets it got per partition, and when. */
export interface Invocation {
  at: number;
  records: { partition: number; offset: number; value: unknown }[];
}

/** A handler of any record shape; `call` counts the invocations, from 1. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyValue = any;
export type Handler = (
  payload: KafkaBatch<AnyValue> & KafkaRecord<AnyValue>,
  ack: Acknowledgment,
  call: number,
  transaction: AnyValue,
) => unknown;

/** Log lines kept in memory, by level: a test asserts on them and prints nothing. */
export class MemoryLogger implements LoggerService {
  readonly lines: { level: string; message: string }[] = [];
  log = (message: string) => void this.lines.push({ level: 'log', message });
  warn = (message: string) => void this.lines.push({ level: 'warn', message });
  error = (message: string) => void this.lines.push({ level: 'error', message });
  of(level: string): string[] {
    return this.lines.filter((l) => l.level === level).map((l) => l.message);
  }
}

export interface Harness {
  container: KafkaListenerContainer;
  clock: FakeClock;
  consumer: FakeConsumer;
  deadLetters: FakeDeadLetters;
  logger: MemoryLogger;
  invocations: Invocation[];
  /** Offsets handed to the handler so far, as `partition@offset`. */
  handled(): string[];
  /** Stops the listener, letting fake time pass as it waits for its poll to return. */
  stop(options?: StopOptions): Promise<void>;
}

/** A started listener on fakes: a consumer, a clock and a dead-letter topic the test drives. */
export async function startListener(
  options: Partial<BatchListenerOptions>,
  handler: Handler = () => undefined,
  extra: {
    rebalanceListener?: KafkaRebalanceListener;
    deadLetters?: 'off';
    offsetStore?: OffsetStore;
    memberRemover?: StaticMemberRemover;
  } = {},
): Promise<Harness> {
  const clock = new FakeClock();
  const consumer = new FakeConsumer(clock);
  const deadLetters = new FakeDeadLetters();
  const logger = new MemoryLogger();
  const invocations: Invocation[] = [];
  const resolved = resolveListenerOptions('L', { topics: [TOPIC], groupId: 'g', ...options });
  const container = new KafkaListenerContainer(resolved, {
    invoke: async (payload, ack, transaction) => {
      const records = 'records' in payload ? payload.records : [payload];
      invocations.push({
        at: clock.now(),
        records: records.map((r) => ({ partition: r.partition, offset: r.offset, value: r.value })),
      });
      return handler(payload as never, ack, invocations.length, transaction);
    },
    consumer: consumer.create,
    deadLetters: extra.deadLetters === 'off' ? undefined : deadLetters,
    rebalanceListener: extra.rebalanceListener,
    offsetStore: extra.offsetStore,
    memberRemover: extra.memberRemover && (() => extra.memberRemover!),
    retryTopics:
      resolved.retryTopics &&
      new RetryTopics(resolved.topics, resolved.retryTopics.delaysMs, resolved.deadLetter.topic, clock),
    clock,
    logger,
  });
  await container.start();
  const handled = () => invocations.flatMap((i) => i.records.map((r) => `${r.partition}@${r.offset}`));
  const stop = async (stopOptions?: StopOptions) => {
    const stopped = container.stop(stopOptions);
    let done = false;
    void stopped.finally(() => (done = true));
    await clock.until(() => done, 'the listener to stop');
    await stopped;
  };
  return { container, clock, consumer, deadLetters, logger, invocations, handled, stop };
}

/** `count` JSON values `{ i }` starting at `from`. */
export const values = (count: number, from = 0) => Array.from({ length: count }, (_, i) => ({ i: from + i }));

export const tp = (partition: number) => ({ topic: TOPIC, partition });
