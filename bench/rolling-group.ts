// A consumer group of rolling-consumer processes (bench/fixtures/rolling-consumer.ts) on a fresh
// topic under steady load: what the rolling-restart and the scale-down scenarios share.
import {
  ContinuousProducer,
  KafkaAdmin,
  stabilizedGenerations,
  uniqueName,
  waitForLagZero,
} from '@org/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { OwnershipEvent, allOwnedSince } from './partition-ownership';

export type Membership = 'static' | 'static-leave' | 'dynamic';

export const PARTITIONS = 12;
export const MEMBERS = 3;
export const RATE = Number(process.env.RATE ?? 2_000);
/** How long every partition must keep its owner, with no rebalance event, to call the group settled. */
const SETTLED_MS = 5_000;
const LAG_SAMPLE_MS = 250;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Consumer {
  child: ChildProcess;
  ready: Promise<void>;
  /** After the process ended and its output was read to the end. */
  closed: Promise<void>;
}

/** What a group did from the moment it had settled under load until it had caught up again. */
export interface GroupOutcome {
  produced: number;
  /** Records the broker acknowledged that no consumer handled: must be 0. */
  lost: number;
  redelivered: number;
  /** Rebalances the broker's coordinator stabilized (its log), not what the clients say. */
  rebalances: number;
  /** The group's highest lag (log end − committed offset, all partitions), sampled every 250 ms. */
  maxLag: number;
  /** The rebalance events up to the end of the load; the group's own shutdown is left out. */
  events: OwnershipEvent[];
}

export class GroupUnderLoad {
  private readonly handled: string[] = [];
  private readonly events: OwnershipEvent[] = [];
  private readonly consumers: (Consumer | undefined)[] = [];
  private generationsAtStart = 0;
  private maxLag = 0;
  private lagSampler: Promise<void> | undefined;
  private sampling = false;

  private constructor(
    private readonly mode: Membership,
    private readonly topic: string,
    private readonly groupId: string,
    private readonly admin: KafkaAdmin,
    private readonly producer: ContinuousProducer,
  ) {}

  /**
   * Starts MEMBERS consumer processes on a fresh topic and group, then the load; resolves once the
   * group has settled (every partition owned, no rebalance for SETTLED_MS).
   */
  static async start(mode: Membership): Promise<GroupUnderLoad> {
    const admin = new KafkaAdmin();
    const topic = uniqueName(`rolling_${mode}`);
    await admin.createTopic(topic, PARTITIONS);
    const producer = await ContinuousProducer.connect(topic);
    const group = new GroupUnderLoad(mode, topic, uniqueName('g'), admin, producer);
    for (let i = 0; i < MEMBERS; i++) group.startConsumer(i);
    await Promise.all(group.consumers.map((c) => c!.ready));
    // One produce call per record on a long-lived producer: the load holds RATE, whatever the
    // consumers cost the machine.
    producer.start((n) => ({ key: `d${n}`, value: { i: n } }), Math.round(RATE / 10), 100);
    await group.settled();
    group.generationsAtStart = stabilizedGenerations(group.groupId).length;
    group.sampleLag();
    return group;
  }

  /** SIGTERM to the i-th process; resolves once it has exited and its last lines are read. */
  async stop(i: number): Promise<void> {
    const consumer = this.consumers[i];
    if (!consumer) return;
    this.consumers[i] = undefined;
    consumer.child.kill('SIGTERM');
    await consumer.closed;
  }

  /** Stops the i-th process and starts it again under the same POD_NAME, as a pod restart does. */
  async restart(i: number): Promise<void> {
    await this.stop(i);
    await this.startConsumer(i).ready;
  }

  /** Resolves once every partition has had an owner for SETTLED_MS with no rebalance event. */
  async settled(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const since = allOwnedSince(this.events, PARTITIONS);
      const lastEvent = this.events.at(-1)?.at ?? 0;
      if (since !== undefined && Date.now() - lastEvent >= SETTLED_MS) return;
      if (Date.now() > deadline)
        throw new Error(`${this.mode}: the group ${this.groupId} did not settle in ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  /** Ends the load, waits until every record is committed, then stops the remaining processes. */
  async finish(): Promise<GroupOutcome> {
    await this.producer.stop();
    this.sampling = false;
    await this.lagSampler;
    await waitForLagZero(this.admin, this.groupId, this.topic, { timeoutMs: 120_000 });
    const rebalances = stabilizedGenerations(this.groupId).length - this.generationsAtStart;
    // Copied before the shutdown: its releases (and an eager group's last reassignments) are no
    // part of what is measured.
    const events = [...this.events];
    await Promise.all(this.consumers.map((_, i) => this.stop(i)));
    await this.producer.close();
    this.admin.close();
    const unique = new Set(this.handled);
    const lost = this.producer.delivered.filter((r) => !unique.has(`${r.partition}:${r.offset}`));
    return {
      produced: this.producer.delivered.length,
      lost: lost.length,
      redelivered: this.handled.length - unique.size,
      rebalances,
      maxLag: this.maxLag,
      events,
    };
  }

  private startConsumer(i: number): Consumer {
    // Compiled with the benchmark (bench/dist): the consumer runs as plain JS, as in production.
    // POD_NAME pod-<i>: a StatefulSet's names, which static members take their group.instance.id from.
    const child = spawn(
      process.execPath,
      [join(__dirname, 'fixtures/rolling-consumer.js'), this.topic, this.groupId, this.mode],
      { env: { ...process.env, POD_NAME: `pod-${i}` }, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let markReady!: () => void;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines) this.read(line, markReady);
    });
    const consumer = { child, ready, closed };
    this.consumers[i] = consumer;
    return consumer;
  }

  /** One line of the fixture's output: "ready", "h <partition>:<offset>,…" or "e <kind> <partitions> <ms>". */
  private read(line: string, markReady: () => void): void {
    if (line === 'ready') markReady();
    else if (line.startsWith('h ')) this.handled.push(...line.slice(2).split(','));
    else if (line.startsWith('e ')) {
      const [, kind, partitions, at] = line.split(' ');
      this.events.push({
        kind: kind as OwnershipEvent['kind'],
        partitions: partitions === '-' ? [] : partitions.split(',').map(Number),
        at: Number(at),
      });
    }
  }

  private sampleLag(): void {
    this.sampling = true;
    this.lagSampler = (async () => {
      while (this.sampling) {
        const { total } = await this.admin.lag(this.groupId, this.topic);
        this.maxLag = Math.max(this.maxLag, total);
        await sleep(LAG_SAMPLE_MS);
      }
    })();
  }
}
