import type { TopicPartition, TopicPartitionOffset } from '../common/topic-partition';
import type { ResolvedListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { ListenerEventMap, ListenerEventName } from './listener.events';
import type { PauseReason, SeekTarget } from './partition.state';

export interface StopOptions {
  /**
   * A static member also leaves its group, so its partitions move at once instead of after the
   * session timeout: for a member that is not coming back (a scale-down), never for a restart.
   */
  leaveGroup?: boolean;
}

export type ContainerState =
  'created' | 'starting' | 'running' | 'stopping' | 'closing' | 'stopped' | 'failed';

/**
 * A @BatchListener's container as the application sees it (KafkaListenerRegistry.get): what it is
 * doing, its lifecycle, seeks and pauses, and its events. Nothing here changes how it works inside.
 */
export interface ListenerContainer {
  readonly options: Readonly<ResolvedListenerOptions>;
  readonly state: ContainerState;
  /** Why the listener failed for good (fenced static member, failed authentication). */
  readonly error: Error | undefined;
  readonly assignment: TopicPartition[];
  /** Records fetched and not yet done, and their payload bytes: the in-flight budget's use. */
  readonly inFlightRecords: number;
  readonly inFlightBytes: number;
  /** When consume() last returned. */
  readonly lastPollAt: number;
  /** When the group first gave this consumer an assignment (possibly empty) since it started. */
  readonly joinedGroupAt: number | undefined;
  /** Start time of the longest-running batch; undefined when none runs. */
  readonly oldestBatchStartedAt: number | undefined;
  /** Handler invocations under way (at most `concurrency`). */
  readonly batchesInFlight: number;
  /** pause() was called and resume() not since. */
  readonly paused: boolean;
  pausedPartitions(): { topic: string; partition: number; reasons: PauseReason[] }[];
  /** The partition is assigned here and not being revoked. */
  holds(topic: string, partition: number): boolean;
  /** The poll loop runs and has polled within maxPollIntervalMs. */
  pollLoopAlive(now?: number): boolean;
  /** The group's committed offsets, asked of the group coordinator without blocking the poll loop. */
  committedOffsets(partitions: readonly TopicPartition[], timeoutMs: number): Promise<TopicPartitionOffset[]>;
  start(): Promise<void>;
  /** Stops fetching, lets running batches finish (bounded), commits what is done, closes. */
  stop(options?: StopOptions): Promise<void>;
  /** Repositions a partition; applied after its current batch when it is busy. */
  seek(topic: string, partition: number, target: SeekTarget): void;
  /** Stops fetching and starting batches on every partition, now and assigned later; running batches finish. */
  pause(): void;
  resume(): void;
  /** Subscribes to the listener's events; returns the unsubscribe function. */
  on<E extends ListenerEventName>(event: E, handler: (...args: ListenerEventMap[E]) => void): () => void;
}
