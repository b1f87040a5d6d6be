import { Producer } from '@confluentinc/kafka-javascript';
import {
  fromCallback,
  KafkaAdmin,
  kafkaBootstrap,
  produceRecords,
  readTopic,
  ReadRecord,
  TestRecord,
  uniqueName,
} from '@org/testing';
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DLT_HEADERS } from '../src/failure/dead-letter.headers';

/** The package's command, as `pnpm exec kafka-batch` runs it in a project. */
const CLI = join(__dirname, '../bin/kafka-batch.js');

interface Run {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exit: Promise<number | null>;
}

const children = new Set<ChildProcess>();

function redrive(args: string[]): Run {
  const child = spawn(process.execPath, [CLI, 'redrive', '--brokers', kafkaBootstrap(), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => stdout.push(line));
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  const exit = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  return { child, stdout, stderr, exit };
}

interface Summary {
  dryRun: boolean;
  total: number;
  read: number;
  sent: number;
  committed: number;
  skipped: Record<string, number>;
  sentTo: Record<string, number>;
  /** What it printed before the summary: a dry run's lines. */
  lines: string[];
}

/** Runs to the end and returns its JSON summary; fails the test, with its output, on a non-zero exit. */
async function redriveToEnd(args: string[]): Promise<Summary> {
  const run = redrive([...args, '--json']);
  const code = await run.exit;
  if (code !== 0)
    throw new Error(`redrive exited with ${code}:\n${[...run.stdout, ...run.stderr].join('\n')}`);
  return { ...JSON.parse(run.stdout.at(-1)!), lines: run.stdout.slice(0, -1) };
}

/** A dead letter of `source` as the library publishes it, on the dead-letter partition of its origin. */
function deadLetter(source: string, partition: number, offset: number, exception: string): TestRecord {
  return {
    partition,
    key: `device-${offset}`,
    value: { n: offset, partition },
    headers: {
      trace: `t-${partition}-${offset}`,
      [DLT_HEADERS.originalTopic]: source,
      [DLT_HEADERS.originalPartition]: String(partition),
      [DLT_HEADERS.originalOffset]: String(offset),
      [DLT_HEADERS.exceptionClass]: exception,
      [DLT_HEADERS.exceptionMessage]: `${exception} at ${offset}`,
    },
  };
}

const origin = (r: ReadRecord) => r.headers['kafka-batch-redriven-original'];

describe('kafka-batch redrive', () => {
  const admin = new KafkaAdmin();
  let source: string;
  let dlt: string;

  beforeEach(async () => {
    source = uniqueName('redrive_src');
    dlt = `${source}.DLT`;
    await admin.createTopic(source, 3);
    await admin.createTopic(dlt, 3);
  });
  afterEach(() => {
    for (const child of children) child.kill('SIGKILL');
  });
  afterAll(() => admin.close());

  it('a dry run lists what it would send; the run sends the selection back to its partitions once', async () => {
    const letters = [0, 1, 2].flatMap((partition) =>
      Array.from({ length: 10 }, (_, i) =>
        deadLetter(source, partition, i, i % 2 === 0 ? 'ValidationError' : 'QueryFailedError'),
      ),
    );
    await produceRecords(dlt, letters);
    const selection = ['--from', dlt, '--exception', 'ValidationError'];

    const dry = await redriveToEnd([...selection, '--dry-run']);
    expect(dry).toMatchObject({ dryRun: true, total: 30, read: 30, sent: 15, committed: 0 });
    expect(dry.lines).toHaveLength(15);
    expect(dry.lines[0]).toMatch(
      new RegExp(`^would send ${dlt}/\\d@\\d+ → ${source}/\\d  ValidationError: ValidationError at \\d+$`),
    );

    const run = await redriveToEnd(selection);
    expect(run).toMatchObject({ dryRun: false, total: 30, read: 30, sent: 15, committed: 30 });
    expect(run.sentTo).toEqual({ [source]: 15 });
    expect(run.skipped).toEqual({ filtered: 15, incomplete: 0, 'no-origin': 0 });

    const redriven = await readTopic(source, 3, 15, { drain: true, timeoutMs: 10_000 });
    expect(redriven).toHaveLength(15);
    for (const record of redriven) {
      const [, partition, offset] = origin(record).split(':').map(Number);
      expect(record.partition).toBe(partition);
      expect(offset % 2).toBe(0);
      expect(record.key).toBe(`device-${offset}`);
      expect(JSON.parse(record.value!.toString())).toEqual({ n: offset, partition });
      expect(record.headers.trace).toBe(`t-${partition}-${offset}`);
      expect(record.headers['kafka-batch-redriven-from']).toMatch(new RegExp(`^${dlt}:${partition}:\\d+$`));
      expect(Object.keys(record.headers).filter((h) => h.startsWith('kafka_dlt-'))).toEqual([]);
    }
    // In order within each partition.
    for (const partition of [0, 1, 2]) {
      const offsets = redriven
        .filter((r) => r.partition === partition)
        .map((r) => Number(origin(r).split(':')[2]));
      expect(offsets).toEqual([0, 2, 4, 6, 8]);
    }

    const again = await redriveToEnd(selection);
    expect(again).toMatchObject({ total: 0, read: 0, sent: 0 });
    expect(await readTopic(source, 3, 16, { drain: true, timeoutMs: 3_000 })).toHaveLength(15);
  });

  it('killed with SIGKILL mid-run and started again, it sends every letter exactly once', async () => {
    const total = 3_000;
    await produceRecords(
      dlt,
      Array.from({ length: total }, (_, i) =>
        deadLetter(source, i % 3, Math.floor(i / 3), 'ValidationError'),
      ),
    );
    const args = ['--from', dlt, '--transaction-size', '100'];

    // Slowed down so that the kill lands in the middle: its first progress line comes after 2 s.
    const killed = redrive([...args, '--rate', '600']);
    const deadline = Date.now() + 30_000;
    while (!killed.stderr.some((line) => line.startsWith('redrive: read')) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    killed.child.kill('SIGKILL');
    expect(await killed.exit).toBe(null);

    const resumed = await redriveToEnd(args);
    // It went on from the last committed transaction of the killed run, not from the start.
    expect(resumed.total).toBeGreaterThan(0);
    expect(resumed.total).toBeLessThan(total);
    expect(resumed.sent).toBe(resumed.total);

    const redriven = await readTopic(source, 3, total, { drain: true, timeoutMs: 20_000 });
    expect(redriven).toHaveLength(total);
    expect(new Set(redriven.map(origin)).size).toBe(total);
  });

  it('ends on a dead-letter topic written in transactions: the markers after the last letters hold none', async () => {
    const producer = new Producer({
      'bootstrap.servers': kafkaBootstrap(),
      'transactional.id': uniqueName('dlt_tx'),
    });
    await fromCallback((done) => producer.connect({}, done));
    try {
      await fromCallback((done) => producer.initTransactions(10_000, done));
      for (const batch of [0, 1]) {
        await fromCallback((done) => producer.beginTransaction(done));
        for (let i = 0; i < 3; i++) {
          const { partition, value, key, headers } = deadLetter(source, 0, batch * 3 + i, 'ValidationError');
          const list = Object.entries(headers!).map(([name, v]) => ({ [name]: v }));
          producer.produce(dlt, partition!, Buffer.from(JSON.stringify(value)), key, null, undefined, list);
        }
        await fromCallback((done) => producer.commitTransaction(10_000, done));
      }
    } finally {
      await fromCallback((done) => producer.disconnect(done));
    }

    const run = await redriveToEnd(['--from', dlt]);
    expect(run).toMatchObject({ read: 6, sent: 6 });
    expect(await readTopic(source, 3, 6, { drain: true, timeoutMs: 5_000 })).toHaveLength(6);
    expect(await redriveToEnd(['--from', dlt])).toMatchObject({ total: 0, sent: 0 });
  });

  it('is a command of the projects that depend on the package', () => {
    const help = execFileSync('pnpm', ['exec', 'kafka-batch', 'redrive', '--help'], {
      cwd: join(__dirname, '../../../apps/telemetry'),
      encoding: 'utf8',
    });
    expect(help).toMatch(/^Usage: kafka-batch redrive --from <dead-letter topic> \[options\]/);
  });

  it('fails with a clear error for a dead-letter topic that does not exist, and for bad options', async () => {
    const missing = redrive(['--from', uniqueName('nothing')]);
    expect(await missing.exit).toBe(1);
    expect(missing.stdout.join('\n')).toMatch(/FAILED +the dead-letter topic \S+ does not exist/);

    const bad = redrive(['--from', dlt, '--offsets', '5']);
    expect(await bad.exit).toBe(2);
    expect(bad.stderr[0]).toBe(
      'kafka-batch redrive: --offsets must be A-B with integers 0 <= A <= B (got "5")',
    );
  });
});
