import type { RawRecord } from '../interfaces/raw-record.interface';
import type { RedriveSend } from './redrive.selection';

/** A dead-letter partition's span to redrive: from the group's committed offset to the end at the start. */
export interface PartitionSpan {
  partition: number;
  /** The group's committed offset, or the log start when it has none. */
  start: number;
  /** The high watermark when the run started: letters written later are left for the next run. */
  end: number;
}

/** Reads the dead-letter topic for the redrive's group. */
export interface RedriveSource {
  spans(topic: string): Promise<PartitionSpan[]>;
  /** The partition count of a target topic; undefined when it does not exist. */
  partitionCount(topic: string): Promise<number | undefined>;
  /** Reads the partitions from their start offsets. */
  assign(topic: string, spans: readonly PartitionSpan[]): void;
  /** Up to `max` letters, fewer (none) when nothing comes within a short wait. */
  consume(max: number): Promise<RawRecord[]>;
  /**
   * The next offset the consumer will read per assigned partition: past the transaction markers
   * and deleted records that no letter shows.
   */
  positions(topic: string): Map<number, number>;
  close(): Promise<void>;
}

/** The next offset to read per partition of the dead-letter topic. */
export type NextOffsets = ReadonlyMap<number, number>;

/** Sends records and commits the source group's offsets with them, atomically. */
export interface RedriveSink {
  begin(): Promise<void>;
  send(record: RedriveSend): void;
  /** Commits what was sent since begin() together with the group's offsets of the dead-letter topic. */
  commit(topic: string, next: NextOffsets): Promise<void>;
  abort(): Promise<void>;
  close(): Promise<void>;
}
