import type { ContainerState } from '../container/listener-container.interface';
import type { ResolvedListenerOptions } from '../interfaces/batch-listener-options.interface';

/** The container facts liveness is judged on. */
export interface LivenessSubject {
  readonly state: ContainerState;
  readonly error: Error | undefined;
  readonly lastPollAt: number;
  readonly oldestBatchStartedAt: number | undefined;
  readonly options: Pick<ResolvedListenerOptions, 'id' | 'maxPollIntervalMs' | 'maxBatchDurationMs'>;
}

export interface ListenerLiveness {
  alive: boolean;
  state: ContainerState;
  /** Why the listener is not alive. */
  reason?: string;
  msSinceLastPoll?: number;
  longestBatchMs?: number;
}

/**
 * Dead only when a restart helps: the client failed for good (fenced, authentication), the poll
 * loop stopped making progress, or a batch hangs. Broker reachability and lag never count: a
 * restart fixes neither, and restarting every pod when the broker blips causes a cascade.
 */
export function assessLiveness(listener: LivenessSubject, now: number): ListenerLiveness {
  const { state, options } = listener;
  if (state === 'failed')
    return { alive: false, state, reason: `fatal client error: ${listener.error?.message ?? 'unknown'}` };
  if (state !== 'running' && state !== 'stopping') return { alive: true, state };
  const msSinceLastPoll = now - listener.lastPollAt;
  const longestBatchMs =
    listener.oldestBatchStartedAt === undefined ? 0 : now - listener.oldestBatchStartedAt;
  const facts = { state, msSinceLastPoll, longestBatchMs };
  if (msSinceLastPoll > options.maxPollIntervalMs)
    return {
      alive: false,
      ...facts,
      reason: `the poll loop made no progress for ${msSinceLastPoll} ms (maxPollIntervalMs ${options.maxPollIntervalMs})`,
    };
  if (longestBatchMs > options.maxBatchDurationMs)
    return {
      alive: false,
      ...facts,
      reason: `a batch has been running for ${longestBatchMs} ms (maxBatchDurationMs ${options.maxBatchDurationMs})`,
    };
  return { alive: true, ...facts };
}
