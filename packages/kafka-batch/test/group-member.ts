import { Injectable } from '@nestjs/common';
import type {
  BatchListenerOptions,
  CommittedPartition,
  KafkaBatch,
  KafkaRebalanceListener,
  TopicPartitionRef,
} from '@org/kafka-batch';
import { ContinuousProducer } from '@org/testing';
import { eventually, ListenerApp, startListenerApp } from './listener-app';

export interface RebalanceEvent {
  kind: 'assigned' | 'revoked' | 'lost';
  partitions: number[];
  committed?: CommittedPartition[];
  at: number;
}

/** One group member: its app, its rebalance events and what it handled. */
export class Member {
  readonly events: RebalanceEvent[] = [];
  readonly handled: { partition: number; offset: number; at: number }[] = [];
  app!: ListenerApp;

  constructor(readonly name: string) {}

  owned(): Set<number> {
    const owned = new Set<number>();
    for (const e of this.events) {
      if (e.kind === 'assigned') e.partitions.forEach((p) => owned.add(p));
      else e.partitions.forEach((p) => owned.delete(p));
    }
    return owned;
  }

  /** `hold`, when given, is awaited at the end of every batch. */
  async start(options: BatchListenerOptions, hold?: () => Promise<void>): Promise<void> {
    const events = this.events;
    @Injectable()
    class Recorder implements KafkaRebalanceListener {
      onPartitionsAssigned(partitions: TopicPartitionRef[]) {
        events.push({
          kind: 'assigned',
          partitions: partitions.map((p) => p.partition),
          at: Date.now(),
        });
      }
      onPartitionsRevoked(partitions: CommittedPartition[]) {
        events.push({
          kind: 'revoked',
          partitions: partitions.map((p) => p.partition),
          committed: partitions,
          at: Date.now(),
        });
      }
      onPartitionsLost(partitions: TopicPartitionRef[]) {
        events.push({ kind: 'lost', partitions: partitions.map((p) => p.partition), at: Date.now() });
      }
    }
    this.app = await startListenerApp(
      {
        fetchMinBytes: 1,
        fetchMaxWaitMs: 100,
        // KIP-848: the broker owns the session timing.
        ...(options.groupProtocol === 'consumer'
          ? {}
          : { heartbeatIntervalMs: 300, sessionTimeoutMs: 10_000 }),
        ...options,
        rebalanceListener: Recorder,
      },
      async (batch: KafkaBatch) => {
        const at = Date.now();
        batch.records.forEach((r) => this.handled.push({ partition: r.partition, offset: r.offset, at }));
        await hold?.();
      },
      { providers: [Recorder] },
    );
  }
}

/**
 * Produces one record to every partition every 20 ms until stopped, through one connected
 * producer: a producer per round (connect, send, close) kept a loaded machine from producing at
 * all for most of a second, and a rebalance could go by with nothing to handle.
 */
export async function produceContinuously(
  topic: string,
  partitions: number,
): Promise<{ stop: () => Promise<number> }> {
  const producer = await ContinuousProducer.connect(topic);
  producer.start((n) => ({ key: `k${n}`, value: { sent: n }, partition: n % partitions }), partitions, 20);
  return {
    stop: async () => {
      try {
        await producer.stop();
        return producer.produced;
      } finally {
        await producer.close();
      }
    },
  };
}

export async function stableAssignment(members: Member[], partitions: number, what: string): Promise<void> {
  await eventually(
    () =>
      members.every((m) => m.owned().size > 0) &&
      members.reduce((n, m) => n + m.owned().size, 0) === partitions,
    what,
    30_000,
  );
  // No further events for a second: the rebalance is over. A member handles rebalance events
  // between two consume() calls, up to one consume timeout after librdkafka raised them.
  let last = -1;
  let since = Date.now();
  await eventually(() => {
    const count = members.reduce((n, m) => n + m.events.length, 0);
    if (count !== last) [last, since] = [count, Date.now()];
    return Date.now() - since >= 1_000;
  }, `${what} to settle`);
}
