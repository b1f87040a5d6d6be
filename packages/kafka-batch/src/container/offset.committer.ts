import type { TopicPartitionOffset } from '@confluentinc/kafka-javascript';
import { Logger } from '@nestjs/common';
import { fromCallback, RdKafkaConsumer } from '../client/rdkafka.types';
import type { PartitionState } from './partition.state';

const RETRY_FAILED_COMMIT_MS = 1_000;

/**
 * Commits each partition's safe offset asynchronously (commitCb runs on librdkafka's thread, never
 * blocking the event loop). One commit is in flight at a time; requests made meanwhile coalesce
 * into the next one, so offsets only ever move forward.
 */
export class OffsetCommitter {
  private inFlight: Promise<void> | undefined;
  private again = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumer: RdKafkaConsumer,
    private readonly partitions: () => Iterable<PartitionState>,
    private readonly logger: Logger,
    private readonly onCommitted: (offsets: TopicPartitionOffset[], durationMs: number) => void = () =>
      undefined,
  ) {}

  /** Commit soon; failures are logged and retried. */
  request(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = this.commitOnce()
      .catch((err: Error) => {
        this.logger.warn(`offset commit failed, retrying: ${err.message}`);
        this.retryTimer ??= setTimeout(() => {
          this.retryTimer = undefined;
          this.request();
        }, RETRY_FAILED_COMMIT_MS);
      })
      .finally(() => {
        this.inFlight = undefined;
        if (this.again) {
          this.again = false;
          this.request();
        }
      });
  }

  /** Commits everything safe now and resolves once the broker confirmed it (revoke, shutdown). */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
    await this.commitOnce();
  }

  stop(): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private async commitOnce(): Promise<void> {
    const sent: { state: PartitionState; offset: number }[] = [];
    for (const state of this.partitions()) {
      const offset = state.tracker.committable();
      if (offset === undefined) continue;
      state.tracker.commitSent(offset);
      sent.push({ state, offset });
    }
    if (sent.length === 0) return;
    const offsets = sent.map(({ state, offset }) => ({
      topic: state.topic,
      partition: state.partition,
      offset,
    }));
    const started = performance.now();
    try {
      await fromCallback((done) => this.consumer.commitCb(offsets, done));
    } catch (err) {
      sent.forEach(({ state, offset }) => state.tracker.commitFailed(offset));
      throw err;
    }
    sent.forEach(({ state, offset }) => state.tracker.commitConfirmed(offset));
    this.onCommitted(offsets, performance.now() - started);
  }
}
