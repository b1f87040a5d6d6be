import type { LagStatus } from './lag-status';

export interface PartitionLag {
  topic: string;
  partition: number;
  /** The group's committed offset; undefined when it never committed on this partition. */
  committedOffset: number | undefined;
  endOffset: number;
  logStartOffset: number;
  /** Records not yet committed: end offset − committed offset, the committed offset clamped to the log start. */
  lag: number;
  /** Age of the first uncommitted record, interpolated from the end-offset history. */
  lagSeconds: number | undefined;
  /** Committed records per second across the status window. */
  consumeRate: number;
  /** Burrow status; undefined for partitions another member of the group holds (it reports them). */
  status: LagStatus | undefined;
  /** Assigned to this process's listener. */
  assigned: boolean;
}

export interface ListenerLag {
  listenerId: string;
  groupId: string;
  /** When the last sample succeeded (epoch ms); undefined before the first one. */
  sampledAt: number | undefined;
  /** Why the last sample failed, while it is failing. */
  error: string | undefined;
  /** Sum over the partitions this listener holds. */
  totalLag: number;
  maxLagSeconds: number;
  consumeRate: number;
  /** Worst status over the partitions this listener holds. */
  status: LagStatus;
  partitions: PartitionLag[];
}
