import { EventEmitter } from 'node:events';

/**
 * What a listener container reports as it works, for metrics and anyone else who listens. One
 * event per handler invocation, dead letter, commit or rebalance: never per record handled.
 */
export interface ListenerEventMap {
  /** A handler invocation ended: `records` handed over, how long it took, whether it threw. */
  handled: [{ records: number; durationMs: number; failed: boolean; error?: string }];
  /** Confirmed on the dead-letter topic; `withoutValue` when only its provenance could be published. */
  deadLettered: [{ topic: string; records: number; withoutValue: boolean }];
  /** Records sent on to a retry topic (retryTopics), due there after its delay. */
  retried: [{ topic: string; retryTopic: string; records: number }];
  /** A dead letter the broker did not take; its partition is held and it is published again later. */
  deadLetterFailed: [{ topic: string; records: number }];
  committed: [{ durationMs: number; failed: boolean }];
  rebalanced: [{ kind: 'assigned' | 'revoked' | 'lost'; partitions: number }];
  fatal: [{ reason: string }];
}

export type ListenerEventName = keyof ListenerEventMap;

export class ListenerEvents extends EventEmitter<ListenerEventMap> {
  /** Subscribes `handler`; returns the unsubscribe function. */
  subscribe<E extends ListenerEventName>(
    event: E,
    handler: (...args: ListenerEventMap[E]) => void,
  ): () => void {
    // EventEmitter's generic overloads do not narrow through a type parameter; the map keeps it sound.
    const emitter = this as unknown as EventEmitter;
    emitter.on(event, handler as (...args: unknown[]) => void);
    return () => emitter.off(event, handler as (...args: unknown[]) => void);
  }
}
