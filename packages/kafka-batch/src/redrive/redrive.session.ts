import type { Clock } from '../common/clock';
import type { RedriveOptions } from './redrive.options';
import type { RawRecord } from '../interfaces/raw-record.interface';
import type { RedriveSink, RedriveSource } from './redrive.clients';
import { decide, RedriveSend, RedriveSkipReason } from './redrive.selection';

const CONSUME_MAX = 500;

export interface RedriveProgress {
  /** Dead letters between the group's offsets and the ends when the run started. */
  total: number;
  read: number;
  sent: number;
  skipped: Record<RedriveSkipReason, number>;
  /** Sent, per target topic. */
  sentTo: Record<string, number>;
  /** Sent, per exception class. */
  sentByException: Record<string, number>;
  /** Dead letters committed as redriven, in transactions that committed. */
  committed: number;
}

export interface RedriveListener {
  /** Every letter a dry run would send, in order. */
  wouldSend?(letter: { partition: number; offset: number }, record: RedriveSend): void;
  /** After each committed transaction (a dry run: after each read). */
  progress?(progress: RedriveProgress): void;
}

/**
 * One redrive: reads each dead-letter partition from the group's committed offset up to its end
 * at the start, and sends what the selection takes in transactions that also commit the group's
 * offsets past every letter read, sent or skipped. A run that dies leaves its open transaction to
 * be aborted by the next one (the same transactional id fences it); the next run starts where the
 * last committed transaction left the group. A dry run sends and commits nothing.
 */
export class RedriveSession {
  private readonly next = new Map<number, number>();
  private readonly progress: RedriveProgress = {
    total: 0,
    read: 0,
    sent: 0,
    skipped: { filtered: 0, incomplete: 0, 'no-origin': 0 },
    sentTo: {},
    sentByException: {},
    committed: 0,
  };
  private readonly partitionCounts = new Map<string, number>();
  private startedAt = 0;

  constructor(
    private readonly options: RedriveOptions,
    private readonly source: RedriveSource,
    private readonly sink: RedriveSink | undefined,
    private readonly clock: Clock,
    private readonly listener: RedriveListener = {},
  ) {}

  /** The counts so far: after a failure, how far the run got. */
  get current(): RedriveProgress {
    return this.progress;
  }

  async run(): Promise<RedriveProgress> {
    const topic = this.options.deadLetterTopic;
    const spans = (await this.source.spans(topic)).filter((span) => span.start < span.end);
    this.progress.total = spans.reduce((sum, span) => sum + span.end - span.start, 0);
    if (spans.length === 0) return this.progress;
    for (const span of spans) this.next.set(span.partition, span.start);
    const ends = new Map(spans.map((span) => [span.partition, span.end]));
    this.source.assign(topic, spans);
    this.startedAt = this.clock.now();
    while (this.remaining(ends)) await this.transaction(ends);
    return this.progress;
  }

  /** Up to transactionSize letters, read, sent and committed together. */
  private async transaction(ends: ReadonlyMap<number, number>): Promise<void> {
    const sink = this.options.dryRun ? undefined : this.sink;
    await sink?.begin();
    let read = 0;
    const readBefore = this.progress.read;
    try {
      while (read < this.options.transactionSize && this.remaining(ends)) {
        const letters = await this.source.consume(Math.min(CONSUME_MAX, this.options.transactionSize - read));
        if (letters.length === 0) this.skipGaps();
        for (const letter of letters) {
          const end = ends.get(letter.partition);
          const next = this.next.get(letter.partition);
          if (end === undefined || next === undefined || letter.offset < next || letter.offset >= end)
            continue;
          this.next.set(letter.partition, letter.offset + 1);
          read++;
          await this.handle(letter, sink);
        }
      }
      if (sink) await sink.commit(this.options.deadLetterTopic, this.next);
    } catch (err) {
      await sink?.abort().catch(() => undefined);
      throw err;
    }
    if (sink) this.progress.committed += this.progress.read - readBefore;
    this.listener.progress?.(this.progress);
  }

  private async handle(letter: RawRecord, sink: RedriveSink | undefined): Promise<void> {
    this.progress.read++;
    const { selection, to } = this.options;
    const partitionCount = (topic: string) => this.partitionCounts.get(topic);
    let decision = decide(letter, selection, to, partitionCount);
    if (decision.kind === 'send' && !this.partitionCounts.has(decision.topic)) {
      const count = await this.source.partitionCount(decision.topic);
      // Sent anyway, it would fail only when the transaction commits, after message.timeout.ms.
      if (count === undefined)
        throw new Error(
          `the topic ${decision.topic} does not exist (dead letter ${letter.partition}@${letter.offset} goes there)`,
        );
      this.partitionCounts.set(decision.topic, count);
      decision = decide(letter, selection, to, partitionCount);
    }
    if (decision.kind === 'skip') {
      this.progress.skipped[decision.reason]++;
      return;
    }
    await this.pace();
    if (sink) sink.send(decision);
    else this.listener.wouldSend?.(letter, decision);
    this.progress.sent++;
    this.progress.sentTo[decision.topic] = (this.progress.sentTo[decision.topic] ?? 0) + 1;
    const exception = decision.exceptionClass || '(none)';
    this.progress.sentByException[exception] = (this.progress.sentByException[exception] ?? 0) + 1;
  }

  /** Holds the run to `rate` records per second. */
  private async pace(): Promise<void> {
    const { rate } = this.options;
    if (rate === undefined) return;
    const due = this.startedAt + (this.progress.sent / rate) * 1000;
    const wait = due - this.clock.now();
    if (wait > 0) await this.clock.sleep(wait);
  }

  /** Offsets no letter stands at (a transaction marker, a record compacted away) count as read. */
  private skipGaps(): void {
    for (const [partition, position] of this.source.positions(this.options.deadLetterTopic))
      if (position > (this.next.get(partition) ?? Infinity)) this.next.set(partition, position);
  }

  private remaining(ends: ReadonlyMap<number, number>): boolean {
    for (const [partition, end] of ends) if ((this.next.get(partition) ?? end) < end) return true;
    return false;
  }
}
