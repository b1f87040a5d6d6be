import type { MessageHeader } from '@confluentinc/kafka-javascript';
import { DLT_HEADERS } from '../../../src/failure/dead-letter.headers';
import type { RawRecord } from '../../../src/interfaces/raw-record.interface';
import type {
  NextOffsets,
  PartitionSpan,
  RedriveSink,
  RedriveSource,
} from '../../../src/redrive/redrive.clients';
import { parseRedriveOptions, RedriveOptions } from '../../../src/redrive/redrive.options';
import { REDRIVEN_FROM_HEADER, RedriveSend } from '../../../src/redrive/redrive.selection';
import { RedriveSession } from '../../../src/redrive/redrive.session';
import { FakeClock, settle } from '../fakes/fake.clock';

const DLT = 'readings.DLT';

function letter(partition: number, offset: number, exception = 'ValidationError'): RawRecord {
  const headers: MessageHeader[] = [
    { trace: Buffer.from('t') },
    { [DLT_HEADERS.originalTopic]: Buffer.from('readings') },
    { [DLT_HEADERS.originalPartition]: Buffer.from(String(partition)) },
    { [DLT_HEADERS.originalOffset]: Buffer.from(String(100 + offset)) },
    { [DLT_HEADERS.exceptionClass]: Buffer.from(exception) },
    { [DLT_HEADERS.exceptionMessage]: Buffer.from('bad') },
  ];
  return {
    topic: DLT,
    partition,
    offset,
    value: Buffer.from(`v${partition}-${offset}`),
    key: Buffer.from('k'),
    size: 3,
    timestamp: 1,
    headers,
  };
}

/** A dead-letter topic in memory: committed offsets, and a consumer reading the assigned partitions in turns. */
class FakeSource implements RedriveSource {
  readonly committed = new Map<number, number>();
  /** Offsets after each partition's last letter that hold no letter (transaction markers). */
  readonly markers = new Map<number, number>();
  private readonly reading = new Map<number, number>();

  constructor(readonly letters: RawRecord[][]) {}

  async spans(): Promise<PartitionSpan[]> {
    return this.letters.map((log, partition) => ({
      partition,
      start: this.committed.get(partition) ?? 0,
      end: log.length + (this.markers.get(partition) ?? 0),
    }));
  }

  async partitionCount(topic: string): Promise<number | undefined> {
    return topic === 'readings' ? this.letters.length : topic === 'elsewhere' ? 1 : undefined;
  }

  assign(_topic: string, spans: readonly PartitionSpan[]): void {
    for (const { partition, start } of spans) this.reading.set(partition, start);
  }

  async consume(max: number): Promise<RawRecord[]> {
    const out: RawRecord[] = [];
    for (const [partition, position] of this.reading) {
      const taken = this.letters[partition].slice(position, position + max - out.length);
      out.push(...taken);
      this.reading.set(partition, position + taken.length);
    }
    return out;
  }

  /** Past the markers once every letter before them was read, as librdkafka moves its position. */
  positions(): Map<number, number> {
    const positions = new Map<number, number>();
    for (const [partition, position] of this.reading)
      positions.set(
        partition,
        position >= this.letters[partition].length ? position + (this.markers.get(partition) ?? 0) : position,
      );
    return positions;
  }

  async close(): Promise<void> {}
}

/** Transactions in memory: what committed lands in `topic` and moves the source's committed offsets. */
class FakeSink implements RedriveSink {
  readonly landed: RedriveSend[] = [];
  readonly commits: Map<number, number>[] = [];
  private open: RedriveSend[] | undefined;
  failNextCommit = false;
  aborted = 0;

  constructor(private readonly source: FakeSource) {}

  async begin(): Promise<void> {
    if (this.open) throw new Error('a transaction is open already');
    this.open = [];
  }

  send(record: RedriveSend): void {
    this.open!.push(record);
  }

  async commit(_topic: string, next: NextOffsets): Promise<void> {
    if (this.failNextCommit) {
      this.failNextCommit = false;
      throw new Error('Broker: Producer fenced');
    }
    this.landed.push(...this.open!);
    this.commits.push(new Map(next));
    for (const [partition, offset] of next) this.source.committed.set(partition, offset);
    this.open = undefined;
  }

  async abort(): Promise<void> {
    this.aborted++;
    this.open = undefined;
  }

  async close(): Promise<void> {}
}

function options(args: string[]): RedriveOptions {
  return parseRedriveOptions(['--from', DLT, ...args], {}) as RedriveOptions;
}

const valuesOf = (records: { value: Buffer | null }[]) => records.map((r) => r.value!.toString());

describe('RedriveSession', () => {
  it('sends each selected letter to its original partition, and commits the group past every letter read, in transactions', async () => {
    const source = new FakeSource([[letter(0, 0), letter(0, 1, 'TypeError'), letter(0, 2)], [letter(1, 0)]]);
    const sink = new FakeSink(source);
    const progress = await new RedriveSession(
      options(['--exception', 'ValidationError', '--transaction-size', '2']),
      source,
      sink,
      new FakeClock(),
    ).run();

    expect(valuesOf(sink.landed)).toEqual(['v0-0', 'v0-2', 'v1-0']);
    expect(sink.landed.map((r) => [r.topic, r.partition])).toEqual([
      ['readings', 0],
      ['readings', 0],
      ['readings', 1],
    ]);
    expect(sink.landed[0].headers).toEqual([
      { trace: Buffer.from('t') },
      { [REDRIVEN_FROM_HEADER]: `${DLT}:0:0` },
      { 'kafka-batch-redriven-original': 'readings:0:100' },
    ]);
    // Two letters per transaction; the skipped TypeError is committed past like the others.
    expect(sink.commits.map((c) => Object.fromEntries(c))).toEqual([
      { 0: 2, 1: 0 },
      { 0: 3, 1: 1 },
    ]);
    expect(progress).toMatchObject({ total: 4, read: 4, sent: 3, committed: 4, skipped: { filtered: 1 } });
    expect(progress.sentByException).toEqual({ ValidationError: 3 });
  });

  it('reads only up to the ends at its start, and a second run sends nothing already committed', async () => {
    const source = new FakeSource([[letter(0, 0), letter(0, 1)]]);
    const sink = new FakeSink(source);
    await new RedriveSession(options([]), source, sink, new FakeClock()).run();
    source.letters[0].push(letter(0, 2));

    const second = await new RedriveSession(options([]), source, sink, new FakeClock()).run();

    expect(second).toMatchObject({ total: 1, read: 1, sent: 1 });
    expect(valuesOf(sink.landed)).toEqual(['v0-0', 'v0-1', 'v0-2']);
  });

  it('counts offsets that hold no letter (transaction markers) as read, and ends', async () => {
    const source = new FakeSource([[letter(0, 0), letter(0, 1)]]);
    source.markers.set(0, 1);
    const sink = new FakeSink(source);
    const progress = await new RedriveSession(options([]), source, sink, new FakeClock()).run();
    expect(progress).toMatchObject({ total: 3, read: 2, sent: 2 });
    expect(source.committed.get(0)).toBe(3);
  });

  it('a dry run reports every letter it would send, and sends and commits nothing', async () => {
    const source = new FakeSource([[letter(0, 0), letter(0, 1)]]);
    const sink = new FakeSink(source);
    const wouldSend: string[] = [];
    const progress = await new RedriveSession(
      options(['--dry-run', '--to', 'elsewhere']),
      source,
      sink,
      new FakeClock(),
      {
        wouldSend: (from, record) => wouldSend.push(`${from.offset}->${record.topic}/${record.partition}`),
      },
    ).run();

    expect(wouldSend).toEqual(['0->elsewhere/undefined', '1->elsewhere/undefined']);
    expect(sink.commits).toEqual([]);
    expect(source.committed.size).toBe(0);
    expect(progress).toMatchObject({ sent: 2, committed: 0 });
  });

  it('aborts a transaction whose commit fails and stops; the next run sends that transaction again', async () => {
    const source = new FakeSource([[letter(0, 0), letter(0, 1), letter(0, 2)]]);
    const sink = new FakeSink(source);
    const run = (fail: boolean) => {
      sink.failNextCommit = fail;
      return new RedriveSession(options(['--transaction-size', '2']), source, sink, new FakeClock()).run();
    };

    await expect(run(true)).rejects.toThrow('Producer fenced');
    expect(sink.aborted).toBe(1);
    expect(source.committed.size).toBe(0);

    await run(false);
    expect(valuesOf(sink.landed)).toEqual(['v0-0', 'v0-1', 'v0-2']);
  });

  it('fails before sending to a target topic that does not exist', async () => {
    const source = new FakeSource([[letter(0, 0)]]);
    const sink = new FakeSink(source);
    await expect(
      new RedriveSession(options(['--to', 'missing']), source, sink, new FakeClock()).run(),
    ).rejects.toThrow('the topic missing does not exist (dead letter 0@0 goes there)');
    expect(sink.landed).toEqual([]);
  });

  it('holds the sends to --rate per second', async () => {
    const clock = new FakeClock();
    const source = new FakeSource([[letter(0, 0), letter(0, 1), letter(0, 2)]]);
    const sink = new FakeSink(source);
    let done = false;
    void new RedriveSession(options(['--rate', '1', '--transaction-size', '1']), source, sink, clock)
      .run()
      .then(() => (done = true));

    await settle();
    expect(sink.landed).toHaveLength(1);
    await clock.advance(999);
    expect(sink.landed).toHaveLength(1);
    await clock.advance(1);
    expect(sink.landed).toHaveLength(2);
    await clock.advance(1000);
    expect(sink.landed).toHaveLength(3);
    expect(done).toBe(true);
  });
});
