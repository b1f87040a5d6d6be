import type { TopicPartitionOffset } from '@confluentinc/kafka-javascript';
import { Logger } from '@nestjs/common';
import type { RdKafkaConsumer } from '../client/rdkafka.types';
import type { ListenerEvents } from '../container/listener.events';
import type { PartitionState } from '../container/partition.state';

const RETRY_FAILED_COMMIT_MS = 1_000;
/** librdkafka answers every commit, if only with an error at close; this bounds a lost answer. */
const COMMIT_ANSWER_TIMEOUT_MS = 30_000;

type AnsweredOffset = TopicPartitionOffset & { error?: unknown };
interface CommitAnswer {
  error: Error | undefined;
  offsets: AnsweredOffset[];
}

/**
 * Commits each partition's safe offset asynchronously and learns the broker's answer from
 * librdkafka's offset-commit callback: the client's commitCb only reports that the request was
 * queued, not that the broker accepted it. One commit is in flight at a time; requests made
 * meanwhile coalesce into the next one, so offsets only ever move forward.
 */
export class OffsetCommitter {
  private inFlight: Promise<void> | undefined;
  private again = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly answers: ((answer: CommitAnswer) => void)[] = [];

  constructor(
    private readonly consumer: RdKafkaConsumer,
    private readonly partitions: () => Iterable<PartitionState>,
    private readonly events: ListenerEvents,
    private readonly logger: Logger,
  ) {}

  /** The consumer's 'offset.commit' event (config `offset_commit_cb: true`), in request order. */
  onCommitAnswer(error: { message: string } | null | undefined, offsets: AnsweredOffset[] | undefined): void {
    this.answers.shift()?.({ error: error ? new Error(error.message) : undefined, offsets: offsets ?? [] });
  }

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

  /** Commits everything safe now and resolves once the broker accepted it (revoke, shutdown). */
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
    let timer: NodeJS.Timeout | undefined;
    const sentAt = performance.now();
    const answered = new Promise<CommitAnswer>((resolve) => {
      this.answers.push(resolve);
      timer = setTimeout(() => {
        this.answers.splice(this.answers.indexOf(resolve), 1);
        resolve({
          error: new Error(`no answer to the commit within ${COMMIT_ANSWER_TIMEOUT_MS} ms`),
          offsets: [],
        });
      }, COMMIT_ANSWER_TIMEOUT_MS);
    }).finally(() => clearTimeout(timer));
    try {
      this.consumer.commit(offsets);
    } catch (err) {
      this.answers.pop();
      clearTimeout(timer);
      sent.forEach(({ state, offset }) => state.tracker.commitFailed(offset));
      throw err;
    }
    const answer = await answered;
    const rejected = new Set(answer.offsets.filter((o) => o.error).map((o) => `${o.topic}[${o.partition}]`));
    this.events.emit('committed', {
      durationMs: performance.now() - sentAt,
      failed: answer.error !== undefined || rejected.size > 0,
    });
    for (const { state, offset } of sent) {
      if (answer.error || rejected.has(`${state.topic}[${state.partition}]`))
        state.tracker.commitFailed(offset);
      else state.tracker.commitConfirmed(offset);
    }
    if (answer.error) throw answer.error;
    if (rejected.size > 0) throw new Error(`the broker rejected the commit for ${[...rejected].join(', ')}`);
  }
}
