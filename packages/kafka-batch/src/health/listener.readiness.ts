import { describePartition } from '../common/topic-partition';
import type { ContainerState } from '../container/listener-container.interface';
import type { ResolvedListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { ListenerLag } from '../lag/lag.interfaces';
import type { LagStatus } from '../lag/lag-status';

export interface ReadinessOptions {
  /** Not ready while the lag of the partitions a listener holds exceeds this many records. Off by default. */
  maxLagRecords?: number;
  /** Not ready while the oldest uncommitted record is older than this. Off by default. */
  maxLagSeconds?: number;
  /** Statuses that make a listener not ready. Default ['STALL', 'STOP', 'REWIND']; [] turns it off. */
  failOnStatus?: LagStatus[];
}

/** The container facts readiness is judged on. */
export interface ReadinessSubject {
  readonly state: ContainerState;
  /** Paused on request: its lag grows on purpose, and says nothing about its health. */
  readonly paused: boolean;
  readonly joinedGroupAt: number | undefined;
  readonly options: Pick<ResolvedListenerOptions, 'id' | 'groupId' | 'autoStartup'>;
}

export interface LagMonitorView {
  enabled: boolean;
  /** A successful sample older than this means the broker stopped answering. */
  staleAfterMs: number;
}

export interface ListenerReadiness {
  ready: boolean;
  state: ContainerState;
  /** Why the listener is not ready. */
  reasons: string[];
}

const DEFAULT_FAIL_ON_STATUS: LagStatus[] = ['STALL', 'STOP', 'REWIND'];

/**
 * Ready when the listener runs, has joined its group, its broker answers the lag monitor and,
 * as configured, its status and lag are acceptable (unless it is paused on request: then its lag
 * grows by design, and a readiness that failed would only stall rolling updates). A listener with
 * nothing to read (idle topic, no partitions assigned) is ready: it keeps up with everything there is.
 */
export function assessReadiness(
  listener: ReadinessSubject,
  lag: ListenerLag | undefined,
  monitor: LagMonitorView,
  options: ReadinessOptions,
  now: number,
): ListenerReadiness {
  const { state } = listener;
  if (state === 'created' && !listener.options.autoStartup) return { ready: true, state, reasons: [] };
  if (state !== 'running') return { ready: false, state, reasons: [`the listener is ${state}`] };
  const reasons: string[] = [];
  if (listener.joinedGroupAt === undefined)
    reasons.push(`it has not joined group ${listener.options.groupId} yet`);
  if (monitor.enabled && lag) {
    if (lag.error) reasons.push(`the broker does not answer: ${lag.error}`);
    else if (lag.sampledAt !== undefined && now - lag.sampledAt > monitor.staleAfterMs)
      reasons.push(`no lag sample for ${now - lag.sampledAt} ms`);
    if (!listener.paused) reasons.push(...lagReasons(lag, options));
  }
  return { ready: reasons.length === 0, state, reasons };
}

function lagReasons(lag: ListenerLag, options: ReadinessOptions): string[] {
  const reasons: string[] = [];
  const failOn = options.failOnStatus ?? DEFAULT_FAIL_ON_STATUS;
  if (failOn.includes(lag.status)) {
    const partitions = lag.partitions.filter((p) => p.status === lag.status).map(describePartition);
    reasons.push(`status ${lag.status} on ${partitions.join(', ')}`);
  }
  if (options.maxLagRecords !== undefined && lag.totalLag > options.maxLagRecords)
    reasons.push(`lag ${lag.totalLag} records exceeds ${options.maxLagRecords}`);
  if (options.maxLagSeconds !== undefined && lag.maxLagSeconds > options.maxLagSeconds)
    reasons.push(`lag ${lag.maxLagSeconds.toFixed(1)} s exceeds ${options.maxLagSeconds} s`);
  return reasons;
}
