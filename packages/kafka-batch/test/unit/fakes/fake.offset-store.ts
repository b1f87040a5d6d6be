import { partitionKey, TopicPartition } from '../../../src/common/topic-partition';
import {
  NO_STORED_OFFSET,
  OffsetMove,
  OffsetStore,
  OffsetStoreTransaction,
} from '../../../src/exactly-once/offset.store';

/** What a handler writes through the fake transaction: amounts added to named counters. */
export class FakeLedger {
  readonly pending: [string, number][] = [];
  add(counter: string, amount = 1): void {
    this.pending.push([counter, amount]);
  }
}

/**
 * A database for the exactly-once mode: the offsets table and counters, both changed only by a
 * transaction that commits. `failNext` makes the next operation fail like a database outage;
 * `loseNextCommitAnswer` commits and then fails, like a connection lost before the answer.
 */
export class FakeOffsetStore implements OffsetStore {
  readonly offsets = new Map<string, number>();
  readonly counters = new Map<string, number>();
  readonly log: string[] = [];
  failNext: { operation: 'read' | 'begin' | 'commit'; error: Error; times?: number } | undefined;
  loseNextCommitAnswer = false;
  /** Runs after each commit (another member's move, say); `commits` counts them from 1. */
  afterCommit: ((commits: number) => void) | undefined;
  private commits = 0;

  /** Another member's commit: the stored offset moves under this one. */
  storeFromElsewhere(partition: number, offset: number, topic = 't'): void {
    this.offsets.set(partitionKey(topic, partition), offset);
  }

  storedAt(partition: number, topic = 't'): number | undefined {
    return this.offsets.get(partitionKey(topic, partition));
  }

  counter(name: string): number {
    return this.counters.get(name) ?? 0;
  }

  async read(_groupId: string, partitions: readonly TopicPartition[]): Promise<Map<string, number>> {
    this.failIf('read');
    this.log.push(`read ${partitions.map((p) => p.partition).join(',')}`);
    for (const p of partitions) {
      const key = partitionKey(p.topic, p.partition);
      if (!this.offsets.has(key)) this.offsets.set(key, NO_STORED_OFFSET);
    }
    return new Map(this.offsets);
  }

  async begin(): Promise<OffsetStoreTransaction> {
    this.failIf('begin');
    const ledger = new FakeLedger();
    const moves: OffsetMove[] = [];
    let ended = false;
    return {
      manager: ledger,
      advance: async (_groupId, wanted) => {
        const fenced = wanted.filter(
          (m) => this.offsets.get(partitionKey(m.topic, m.partition)) !== m.expected,
        );
        moves.push(...wanted);
        return fenced.map(({ topic, partition }) => ({ topic, partition }));
      },
      commit: async () => {
        ended = true;
        this.failIf('commit');
        for (const m of moves) {
          if (this.offsets.get(partitionKey(m.topic, m.partition)) !== m.expected)
            throw new Error('the fake lost a compare-and-set: the code under test skipped advance()');
          this.offsets.set(partitionKey(m.topic, m.partition), m.next);
        }
        for (const [name, amount] of ledger.pending) this.counters.set(name, this.counter(name) + amount);
        this.log.push(`commit ${moves.map((m) => `${m.partition}:${m.expected}->${m.next}`).join(' ')}`);
        this.afterCommit?.(++this.commits);
        if (this.loseNextCommitAnswer) {
          this.loseNextCommitAnswer = false;
          throw Object.assign(new Error('Connection terminated unexpectedly'), { code: 'ECONNRESET' });
        }
      },
      rollback: async () => {
        if (ended) return;
        ended = true;
        this.log.push('rollback');
      },
    };
  }

  private failIf(operation: 'read' | 'begin' | 'commit'): void {
    const failure = this.failNext;
    if (failure?.operation !== operation) return;
    if ((failure.times ?? 1) <= 1) this.failNext = undefined;
    else failure.times = failure.times! - 1;
    throw failure.error;
  }
}
