import { ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  captureChildOutput,
  ContinuousProducer,
  describeConsumerGroup,
  KafkaAdmin,
  readTopic,
  uniqueName,
  waitForLagZero,
} from '@org/testing';
import type { Client } from 'pg';
import { offsetsTableDdl } from '@org/kafka-batch';
import type { PipelineConfig } from './fixtures/pipeline-consumer';

export type DeliveryMode = NonNullable<PipelineConfig['mode']>;

export const PIPELINE_SCHEMA = `
  CREATE TABLE events (id int PRIMARY KEY, amount int NOT NULL CHECK (amount >= 0), payload text NOT NULL);
  CREATE TABLE deliveries (event_id int NOT NULL);
  ${offsetsTableDdl('postgres')}`;

const POISON_EVERY = 97;
type PoisonKind = 'undecodable' | 'invalid-json' | 'schema' | 'constraint';
const POISON_KINDS: PoisonKind[] = ['undecodable', 'invalid-json', 'schema', 'constraint'];

/** Record n of a scenario: mostly valid events, and a poison record of each kind in turn. */
function recordOf(n: number): { key: string; value: Buffer | object | string } {
  const key = `e${n}`;
  if (n % POISON_EVERY !== 13) return { key, value: { id: n, amount: n % 1000, payload: `p${n}` } };
  switch (POISON_KINDS[Math.floor(n / POISON_EVERY) % POISON_KINDS.length]) {
    case 'undecodable':
      return { key, value: Buffer.from([0xff, 0xfe, 0x00, 0x7b]) };
    case 'invalid-json':
      return { key, value: '{"id": 1,' };
    case 'schema':
      return { key, value: { id: `x${n}`, amount: 1, payload: 'wrong type' } };
    case 'constraint':
      return { key, value: { id: n, amount: -1, payload: 'negative amount' } };
  }
}
const isPoison = (n: number) => n % POISON_EVERY === 13;

export interface ScenarioReport {
  scenario: string;
  mode: DeliveryMode;
  produced: number;
  /** Records handed to the handler whose transaction committed (the delivery log). */
  delivered: number;
  /** Delivery-log rows beyond one per record: what a counter would have counted twice. */
  countedTwice: number;
  deadLettered: number;
  /** Dead letters published more than once (allowed in both modes). */
  deadLetteredTwice: number;
  lost: number;
  /** From the end of the fault to lag 0. */
  recoveryMs: number;
  notes: string;
}

/** One consumer process of the pipeline, with what it printed (its logs also go to the test's output). */
export class PipelineProcess {
  readonly lines: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(
    readonly child: ChildProcess,
    name: string,
  ) {
    captureChildOutput(child, name, (line) => !/^(probe|batch|handling) /.test(line));
    let partial = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString();
      const complete = text.split('\n');
      partial = complete.pop()!;
      this.lines.push(...complete);
    });
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get batches(): number {
    return this.lines.filter((l) => l.startsWith('batch ')).length;
  }

  /** The probe lines printed since line `from`. */
  probes(from = 0): { live: boolean; ready: boolean }[] {
    return this.lines
      .slice(from)
      .filter((l) => l.startsWith('probe '))
      .map((l) => ({ live: l.includes('live=true'), ready: l.includes('ready=true') }));
  }

  /** Its last state line and the last lines it logged, for a scenario that failed. */
  diagnostics(): string {
    const message = (line: string) => line.replace(/^.*?(AM|PM)/, '');
    const logged = this.lines.filter(
      (l, i) => !/^(probe|batch|state) /.test(l) && message(l) !== message(this.lines[i - 1] ?? ''),
    );
    return [...logged.slice(-40), ...this.lines.filter((l) => l.startsWith('state ')).slice(-1)].join('\n');
  }

  count(text: string): number {
    return this.lines.filter((l) => l.includes(text)).length;
  }

  /** SIGSTOP: the whole process, librdkafka's heartbeats included, stands still until thaw(). */
  freeze(): void {
    this.child.kill('SIGSTOP');
  }

  thaw(): void {
    this.child.kill('SIGCONT');
  }

  async terminate(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }
}

/**
 * A topic under continuous production of uniquely keyed records (1 in 97 poison), consumer
 * processes of the pipeline, and the oracle: every record is in the database or on the
 * dead-letter topic, whatever the fault did.
 */
export class FaultScenario {
  /** Every scenario of the run, so a failed one can be torn down before the next begins. */
  static readonly started: FaultScenario[] = [];

  readonly topic = uniqueName('faults');
  readonly groupId = uniqueName('g');
  private producer: ContinuousProducer | undefined;
  private readonly processes: PipelineProcess[] = [];

  constructor(
    readonly name: string,
    readonly mode: DeliveryMode,
    private readonly env: { admin: KafkaAdmin; bootstrap: string; databaseUrl: string; db: Client },
    readonly partitions = 6,
  ) {}

  async start(recordsPerSecond = 1_000): Promise<void> {
    FaultScenario.started.push(this);
    await this.env.db.query('TRUNCATE events, deliveries, kafka_batch_offsets');
    await this.env.admin.createTopic(this.topic, this.partitions);
    this.producer = await ContinuousProducer.connect(this.topic, this.env.bootstrap);
    this.producer.start(recordOf, recordsPerSecond / 10, 100);
  }

  /** Stops producing until resumeProducing(), once every record sent so far is acknowledged. */
  async pauseProducing(): Promise<void> {
    await this.producer!.stop();
  }

  resumeProducing(): void {
    this.producer!.resume();
  }

  consumer(options: Partial<PipelineConfig> = {}): PipelineProcess {
    const config: PipelineConfig = {
      topic: this.topic,
      groupId: this.groupId,
      bootstrap: this.env.bootstrap,
      databaseUrl: this.env.databaseUrl,
      mode: this.mode,
      ...options,
    };
    const child = spawn(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        join(__dirname, 'fixtures/pipeline-consumer.ts'),
        JSON.stringify(config),
      ],
      {
        env: { ...process.env, TS_NODE_PROJECT: join(__dirname, '../../../../tsconfig.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const consumer = new PipelineProcess(child, `consumer ${this.processes.length}`);
    this.processes.push(consumer);
    return consumer;
  }

  /** Kills whatever still runs (after a failed scenario, so it cannot write into the next one). */
  async abort(): Promise<void> {
    for (const p of this.processes)
      if (p.child.exitCode === null && (p.child.signalCode === null || p.child.signalCode === 'SIGSTOP'))
        p.child.kill('SIGKILL');
    await Promise.all(this.processes.map((p) => p.exited));
    await this.producer?.close().catch(() => undefined);
    this.producer = undefined;
  }

  get produced(): number {
    return this.producer?.produced ?? 0;
  }

  /**
   * Right after a consumer died: every record below the group's committed offset must already be
   * in the database or on the dead-letter topic. Returns how many were not (must be 0).
   */
  async committedButUnprocessed(): Promise<number> {
    const committed = await this.env.admin.committedOffsets(this.groupId, this.topic);
    const below = this.producer!.delivered.filter((r) => r.offset < (committed.get(r.partition) ?? 0));
    const ids = below.map((r) => Number(r.key.slice(1)));
    const valid = ids.filter((n) => !isPoison(n));
    const { rows } = await this.env.db.query<{ n: string }>(
      'SELECT count(*) AS n FROM events WHERE id = ANY($1::int[])',
      [valid],
    );
    const poison = ids.filter(isPoison).length;
    const dead = poison === 0 ? [] : await this.deadLetters(poison);
    const deadKeys = new Set(dead.map((d) => d.key));
    const missingPoison = ids.filter((n) => isPoison(n) && !deadKeys.has(`e${n}`)).length;
    return valid.length - Number(rows[0].n) + missingPoison;
  }

  /** Delivery-log rows beyond one per record so far. */
  async countedTwice(): Promise<number> {
    const { rows } = await this.env.db.query<{ n: string }>(
      'SELECT count(*) - count(DISTINCT event_id) AS n FROM deliveries',
    );
    return Number(rows[0].n);
  }

  /** Stops production, waits for lag 0, stops the consumers and checks the oracle. */
  async finish(faultEndedAt: number, notes = ''): Promise<ScenarioReport> {
    const producer = this.producer!;
    await producer.stop();
    await waitForLagZero(this.env.admin, this.groupId, this.topic, { timeoutMs: 120_000 }).catch(
      async (err: Error) => {
        const tool = await describeConsumerGroup(this.groupId, this.env.bootstrap).catch(
          (e: Error) => e.message,
        );
        const { rows: sessions } = await this.env.db.query(
          `SELECT pid, state, wait_event_type, wait_event, now() - xact_start AS in_transaction, left(query, 80) AS query
           FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        const files = this.saveLogs();
        const logs = this.processes.map((p, i) => `consumer ${i}:\n${p.diagnostics()}`);
        logs.push(`whole logs: ${files}`);
        err.message += `\nkafka-consumer-groups: ${JSON.stringify(tool)}\npg_stat_activity: ${JSON.stringify(sessions)}\n${logs.join('\n')}`;
        throw err;
      },
    );
    const recoveryMs = Math.max(0, Date.now() - faultEndedAt);
    await Promise.all(this.processes.map((p) => p.terminate()));
    await producer.close();
    this.producer = undefined;

    const keys = producer.delivered.map((r) => r.key);
    const ids = keys.map((k) => Number(k.slice(1)));
    const valid = new Set(ids.filter((n) => !isPoison(n)));
    const poisonKeys = new Set(ids.filter(isPoison).map((n) => `e${n}`));
    const { rows: events } = await this.env.db.query<{ id: number }>('SELECT id FROM events');
    const stored = new Set(events.map((r) => r.id));
    const { rows: log } = await this.env.db.query<{ total: string; distinct_ids: string }>(
      'SELECT count(*) AS total, count(DISTINCT event_id) AS distinct_ids FROM deliveries',
    );
    const dead = await this.deadLetters(poisonKeys.size);
    const deadKeys = new Set(dead.map((d) => d.key!));
    const notStored = [...valid].filter((n) => !stored.has(n));
    const missingDead = [...poisonKeys].filter((k) => !deadKeys.has(k)).length;
    const unexpected = [...stored].filter((n) => !valid.has(n)).length;
    const withoutReason = dead.filter((d) => !d.headers['kafka_dlt-exception-message']).length;
    const lost = notStored.length + missingDead + unexpected + withoutReason;
    return {
      scenario: this.name,
      mode: this.mode,
      produced: keys.length,
      delivered: Number(log[0].total),
      countedTwice: Number(log[0].total) - Number(log[0].distinct_ids),
      deadLettered: deadKeys.size,
      deadLetteredTwice: dead.length - deadKeys.size,
      lost,
      recoveryMs,
      notes:
        lost > 0
          ? `${notes}; LOST: ${notStored.length} valid not stored (${this.whereAre(notStored, producer)}), ${missingDead} poison not dead-lettered, ${unexpected} unexpected rows, ${withoutReason} dead letters without a reason; logs ${this.saveLogs()}`
          : notes,
    };
  }

  /** Partition and offset range of the given record ids, for a report that lost some. */
  private whereAre(ids: number[], producer: ContinuousProducer): string {
    const wanted = new Set(ids.map((n) => `e${n}`));
    const byPartition = new Map<number, number[]>();
    for (const r of producer.delivered)
      if (wanted.has(r.key))
        byPartition.set(r.partition, [...(byPartition.get(r.partition) ?? []), r.offset]);
    return [...byPartition]
      .map(([p, offsets]) => `p${p}@${Math.min(...offsets)}..${Math.max(...offsets)} (${offsets.length})`)
      .join(' ');
  }

  private saveLogs(): string {
    return this.processes
      .map((p, i) => {
        const file = join(tmpdir(), `${this.groupId}-consumer-${i}.log`);
        writeFileSync(file, p.lines.join('\n'));
        return file;
      })
      .join(' ');
  }

  private deadLetters(atLeast: number) {
    return readTopic(`${this.topic}.DLT`, this.partitions, atLeast, {
      bootstrap: this.env.bootstrap,
      timeoutMs: 30_000,
      drain: true,
    });
  }
}

export function formatReports(reports: ScenarioReport[]): string {
  const header =
    '| scenario | mode | produced | delivered | counted twice | dead-lettered | dead letters twice | lost | recovery | notes |';
  const rows = reports.map(
    (r) =>
      `| ${r.scenario} | ${r.mode} | ${r.produced} | ${r.delivered} | ${r.countedTwice} | ${r.deadLettered} | ${r.deadLetteredTwice} | ${r.lost} | ${(r.recoveryMs / 1000).toFixed(1)} s | ${r.notes} |`,
  );
  return [header, '|---|---|---:|---:|---:|---:|---:|---:|---:|---|', ...rows].join('\n');
}
