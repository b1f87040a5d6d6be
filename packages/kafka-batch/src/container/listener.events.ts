import { EventEmitter } from 'node:events';

/**
 * What a listener container reports as it works, for metrics and anyone else who listens. One
 * event per handler invocation, commit or rebalance: never per record.
 */
export interface ListenerEventMap {
  /** A handler invocation ended: `records` handed over, how long it took, whether it threw. */
  handled: [{ records: number; durationMs: number; failed: boolean }];
  deadLettered: [{ topic: string; records: number }];
  committed: [{ durationMs: number; failed: boolean }];
  rebalanced: [{ kind: 'assigned' | 'revoked' | 'lost'; partitions: number }];
  fatal: [{ reason: string }];
}

export class ListenerEvents extends EventEmitter<ListenerEventMap> {}
