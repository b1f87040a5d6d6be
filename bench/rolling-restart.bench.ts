// Benchmark for issue 4: a rolling restart of three consumer processes over a 12-partition topic
// under steady load, for (static membership + cooperative-sticky) against (dynamic + eager range).
// Reports rebalances (the broker's own stabilized generations), the time partitions had no owner,
// and the records delivered more than once.
//
//   pnpm bench:rolling            (RATE=2000 records/s by default)
import { KafkaAdmin, produceRecords, stabilizedGenerations, uniqueName, waitForLagZero } from '@org/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { machineDescription, writeReport } from './report';

const PARTITIONS = 12;
const MEMBERS = 3;
const RATE = Number(process.env.RATE ?? 2_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Consumer {
  child: ChildProcess;
  ready: Promise<void>;
}

interface Observations {
  handled: string[];
  events: { kind: string; partitions: number[]; at: number }[];
}

function startConsumer(
  topic: string,
  groupId: string,
  mode: string,
  podName: string,
  seen: Observations,
): Consumer {
  // Compiled with the benchmark (bench/dist): the consumer runs as plain JS, as in production.
  const child = spawn(
    process.execPath,
    [join(__dirname, 'fixtures/rolling-consumer.js'), topic, groupId, mode],
    {
      env: { ...process.env, POD_NAME: podName },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let pending = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout!.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      if (line === 'ready') markReady();
      else if (line.startsWith('h ')) seen.handled.push(...line.slice(2).split(','));
      else if (line.startsWith('e ')) {
        const [, kind, partitions, at] = line.split(' ');
        seen.events.push({
          kind,
          partitions: partitions === '-' ? [] : partitions.split(',').map(Number),
          at: Number(at),
        });
      }
    }
  });
  return { child, ready };
}

/** Total milliseconds, summed over partitions, between a partition's release and its next assignment. */
function unownedMs(events: Observations['events'], from: number): number {
  const releasedAt = new Map<number, number>();
  let total = 0;
  for (const e of [...events].sort((a, b) => a.at - b.at)) {
    if (e.at < from) continue;
    for (const p of e.partitions) {
      if (e.kind === 'assigned') {
        const since = releasedAt.get(p);
        if (since !== undefined) total += e.at - since;
        releasedAt.delete(p);
      } else releasedAt.set(p, e.at);
    }
  }
  return total;
}

async function run(mode: 'static' | 'dynamic'): Promise<Record<string, number>> {
  const admin = new KafkaAdmin();
  const topic = uniqueName(`rolling_${mode}`);
  const groupId = uniqueName('g');
  await admin.createTopic(topic, PARTITIONS);
  const seen: Observations = { handled: [], events: [] };
  const consumers = Array.from({ length: MEMBERS }, (_, i) =>
    startConsumer(topic, groupId, mode, `pod-${i}`, seen),
  );
  await Promise.all(consumers.map((c) => c.ready));

  let producing = true;
  let produced = 0;
  const production = (async () => {
    while (producing) {
      const n = Math.round(RATE / 10);
      await produceRecords(
        topic,
        Array.from({ length: n }, (_, i) => ({ key: `d${produced + i}`, value: { i: produced + i } })),
      );
      produced += n;
      await sleep(100);
    }
  })();
  await sleep(5_000);
  const generationsBefore = stabilizedGenerations(groupId).length;
  const restartFrom = Date.now();
  for (let i = 0; i < MEMBERS; i++) {
    consumers[i].child.kill('SIGTERM');
    await new Promise((resolve) => consumers[i].child.once('exit', resolve));
    consumers[i] = startConsumer(topic, groupId, mode, `pod-${i}`, seen);
    await consumers[i].ready;
    await sleep(5_000);
  }
  const restartMs = Date.now() - restartFrom;
  producing = false;
  await production;
  await waitForLagZero(admin, groupId, topic, { timeoutMs: 120_000 });
  const rebalances = stabilizedGenerations(groupId).length - generationsBefore;
  for (const c of consumers) c.child.kill('SIGTERM');
  await Promise.all(consumers.map((c) => new Promise((resolve) => c.child.once('exit', resolve))));
  admin.close();
  const unique = new Set(seen.handled).size;
  return {
    produced,
    handled: seen.handled.length,
    lost: produced - unique,
    redelivered: seen.handled.length - unique,
    rebalances,
    unownedPartitionSeconds: unownedMs(seen.events, restartFrom) / 1000,
    restartSeconds: restartMs / 1000,
  };
}

async function main(): Promise<void> {
  const results = { static: await run('static'), dynamic: await run('dynamic') };
  const row = (label: string, key: string) =>
    `| ${label} | ${results.static[key].toLocaleString('en-US')} | ${results.dynamic[key].toLocaleString('en-US')} |`;
  const machine = machineDescription();
  const report = [
    `# Rolling restart — ${new Date().toISOString()}`,
    '',
    `Machine: ${machine}. ${MEMBERS} consumer processes, ${PARTITIONS} partitions, ${RATE} records/s, each process`,
    'stopped with SIGTERM and started again, one after the other, 5 s apart.',
    '',
    '| | static + cooperative-sticky | dynamic + range (eager) |',
    '|---|---:|---:|',
    row('rebalances (broker generations during the restart)', 'rebalances'),
    row('partition-seconds without an owner', 'unownedPartitionSeconds'),
    row('records redelivered', 'redelivered'),
    row('records lost', 'lost'),
    row('records produced', 'produced'),
    row('restart phase (s)', 'restartSeconds'),
    '',
  ].join('\n');
  writeReport('rolling-restart.md', report);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
