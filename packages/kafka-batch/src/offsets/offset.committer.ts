import type { LoggerService } from '@nestjs/common';
import type { CommitAnswer, ConsumerClient } from '../client/consumer.client';
import type { Clock } from '../common/clock';
import { describePartition, partitionKey, TopicPartition } from '../common/topic-partition';
import { withTimeout } from '../common/with-timeout';
import type { ListenerEvents } from '../container/listener.events';
import type { PartitionOffsetTracker } from './partition-offset.tracker';

const RETRY_FAILED_COMMIT_MS = 1_000;
/** librdkafka answers every commit, if only with an error at close; this bounds a lost answer. */
const COMMIT_ANSWER_TIMEOUT_MS = 30_000;

/** A partition whose progress the committer commits. */
export interface CommittablePartition extends TopicPartition {
  readonly tracker: PartitionOffsetTracker;
  /** Being revoked: only the revoke's flush commits it, after onPartitionsRevokedBeforeCommit. */
  readonly revoking: boolean;
}

/**
 * Commits each partition's safe offset asynchronously and learns the broker's answer from
 * librdkafka's offset-commit callback (a commit call only queues the request). One commit is in
 * flight at a time, and at most one starts per `intervalMs`; requests made meanwhile coalesce into
 * the next one, so offsets only ever move forward. A rejected commit is sent again. A flush
 * (revoke, shutdown) waits for no interval.
 */
export class OffsetCommitter {
  private inFlight: Promise<void> | undefined;
  private again = false;
  private cancelRetry: (() => void) | undefined;
  private cancelDue: (() => void) | undefined;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private readonly answers: ((answer: CommitAnswer) => void)[] = [];

  constructor(
    private readonly consumer: Pick<ConsumerClient, 'commit'>,
    private readonly partitions: () => Iterable<CommittablePartition>,
    private readonly events: ListenerEvents,
    private readonly clock: Clock,
    private readonly logger: LoggerService,
    /** The listener's commitIntervalMs: 0 sends each request at once. */
    private readonly intervalMs = 0,
  ) {}

  /** The broker's answers, in request order (ConsumerEvents.commitAnswered). */
  answered(answer: CommitAnswer): void {
    this.answers.shift()?.(answer);
  }

  /** Commit soon; failures are logged and retried. */
  request(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    const wait = this.lastSentAt + this.intervalMs - this.clock.now();
    if (wait > 0) {
      this.cancelDue ??= this.clock.schedule(wait, () => {
        this.cancelDue = undefined;
        this.request();
      });
      return;
    }
    this.inFlight = this.commitOnce(false)
      .catch((err: Error) => {
        this.logger.warn(`offset commit failed, retrying: ${err.message}`);
        this.cancelRetry ??= this.clock.schedule(RETRY_FAILED_COMMIT_MS, () => {
          this.cancelRetry = undefined;
          this.request();
        });
      })
      .finally(() => {
        this.inFlight = undefined;
        if (this.again) {
          this.again = false;
          this.request();
        }
      });
  }

  /** Commits everything safe now, revoking partitions too, and resolves once the broker accepted it. */
  async flush(): Promise<void> {
    this.cancelDue?.();
    this.cancelDue = undefined;
    while (this.inFlight) await this.inFlight;
    await this.commitOnce(true);
  }

  stop(): void {
    this.cancelRetry?.();
    this.cancelRetry = undefined;
    this.cancelDue?.();
    this.cancelDue = undefined;
  }

  private async commitOnce(revokingToo: boolean): Promise<void> {
    const sent: { partition: CommittablePartition; offset: number }[] = [];
    for (const partition of this.partitions()) {
      if (partition.revoking && !revokingToo) continue;
      const offset = partition.tracker.committable();
      if (offset === undefined) continue;
      partition.tracker.commitSent(offset);
      sent.push({ partition, offset });
    }
    if (sent.length === 0) return;
    this.lastSentAt = this.clock.now();
    const sentAt = performance.now();
    let answer!: (answer: CommitAnswer) => void;
    const answered = new Promise<CommitAnswer>((resolve) => this.answers.push((answer = resolve)));
    try {
      this.consumer.commit(
        sent.map(({ partition: { topic, partition }, offset }) => ({ topic, partition, offset })),
      );
    } catch (err) {
      this.answers.splice(this.answers.indexOf(answer), 1);
      for (const { partition, offset } of sent) partition.tracker.commitFailed(offset);
      throw err;
    }
    const bounded = await withTimeout(answered, COMMIT_ANSWER_TIMEOUT_MS, this.clock);
    if (bounded.timedOut) this.answers.splice(this.answers.indexOf(answer), 1);
    const { error, rejected } = bounded.timedOut
      ? {
          error: new Error(`no answer to the commit within ${COMMIT_ANSWER_TIMEOUT_MS} ms`),
          rejected: new Set<string>(),
        }
      : bounded.value;
    this.events.emit('committed', {
      durationMs: performance.now() - sentAt,
      failed: error !== undefined || rejected.size > 0,
    });
    const refused: string[] = [];
    for (const { partition, offset } of sent) {
      const refusedHere = rejected.has(partitionKey(partition.topic, partition.partition));
      if (refusedHere) refused.push(describePartition(partition));
      if (error || refusedHere) partition.tracker.commitFailed(offset);
      else partition.tracker.commitConfirmed(offset);
    }
    if (error) throw error;
    if (refused.length > 0) throw new Error(`the broker rejected the commit for ${refused.join(', ')}`);
  }
}
