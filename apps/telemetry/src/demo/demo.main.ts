import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { telemetryConfigFromEnv } from '../config/telemetry.config';
import { integerVar } from '../config/env.parsers';
import { resolveDatabase } from '../database/database.resolver';
import { READINGS_LISTENER_OPTIONS } from '../readings/telemetry-readings.listener';
import type { SimulationSummary } from '../simulator/simulation.runner';
import { startNode, waitFor } from './child.process';
import { demoReport } from './demo.report';
import { KafkaOffsetsReader, sum } from '@org/kafka-offsets';
import { LiveLine } from './live.line';
import { countedMessages, countRows } from './table.counter';

// The demo of the README's first command (scripts/demo.sh builds, starts the broker if none
// runs, then runs this): database, service, simulator for DEMO_SECONDS, a live line, a report.
const dist = resolve(__dirname, '..');
const logs = resolve(process.env.DEMO_LOG_DIR ?? '.data/demo');
const TABLES = ['telemetry_readings', 'device_latest'];
const LAG_WARM_UP_SECONDS = 10;

const say = (message: string) => process.stdout.write(`[demo] ${message}\n`);

async function main(): Promise<void> {
  const config = telemetryConfigFromEnv();
  const seconds = integerVar(process.env, 'DEMO_SECONDS', 60, 1, 86_400);
  const devices = integerVar(process.env, 'DEMO_DEVICES', 500_000, 1, 10_000_000);
  mkdirSync(logs, { recursive: true });

  const database = await resolveDatabase({
    ...config,
    embeddedDatabaseDir: process.env.EMBEDDED_DATABASE_DIR || '.data/demo-pglite',
  });
  say(`database: ${database.description}`);
  const kafka = new KafkaOffsetsReader(config.kafkaBootstrap, 'telemetry-demo', config.kafkaSecurity);
  const dltTopic = `${config.topic}.DLT`;
  // The dead-letter topic appears with the first dead letter; just created, it may not answer yet.
  const deadLetters = () =>
    waitFor(
      `the end offsets of ${dltTopic}`,
      async () => ((await kafka.listTopics()).includes(dltTopic) ? sum(await kafka.endOffsets(dltTopic)) : 0),
      10_000,
    );
  const env = { ...process.env, DATABASE_URL: database.url, PORT: process.env.PORT ?? '0', NO_COLOR: '1' };

  const app = startNode(join(dist, 'main.js'), [], env, join(logs, 'telemetry.log'));
  const port = await waitFor(
    'the service to listen (see .data/demo/telemetry.log)',
    async () => {
      if (app.process.exitCode !== null) throw new Error(`the service exited:\n${app.output()}`);
      const match = /telemetry listening on :(\d+)/.exec(app.output());
      return match ? Number(match[1]) : undefined;
    },
    90_000,
  ).catch((err: Error) => {
    throw app.process.exitCode !== null
      ? new Error(`the service did not start:\n${app.output().slice(-3000)}`)
      : err;
  });
  const url = (path: string) => `http://127.0.0.1:${port}${path}`;
  await waitFor('readiness', async () => ((await fetch(url('/health/ready'))).ok ? true : undefined), 30_000);
  // Terminus logs every failed probe as an ERROR: those from before the listener joined its group
  // are the readiness wait itself, not a fault of the run.
  const readyFrom = app.output().length;
  say(
    `service ready on :${port} (log: ${join(logs, 'telemetry.log')}); simulating ${devices.toLocaleString('en-US')} devices for ${seconds} s`,
  );

  const rowsBefore = await countRows(database.url, TABLES);
  const countedBefore = await countedMessages(database.url);
  const dltBefore = await deadLetters();
  const start = await kafka.lag(config.groupId, config.topic);

  const simulatorArgs = [
    '--devices',
    String(devices),
    '--duration',
    String(seconds),
    '--json',
    '--progress',
    'off',
  ];
  if (process.env.DEMO_SIMULATOR_ARGS)
    simulatorArgs.push(...process.env.DEMO_SIMULATOR_ARGS.split(/\s+/).filter(Boolean));
  const simulator = startNode(
    join(dist, 'simulator', 'simulator.main.js'),
    simulatorArgs,
    env,
    join(logs, 'simulator.log'),
  );
  // Ctrl-C ends the load early; the demo still drains, reports and stops the service cleanly.
  process.on('SIGINT', () => simulator.process.kill('SIGINT'));

  let simulatorDone = false;
  const line = new LiveLine(config.groupId);
  const began = performance.now();
  // The bound is judged after a warm-up: a fresh process compiles its hot code under the first load.
  const warmUpSeconds = Math.min(LAG_WARM_UP_SECONDS, seconds / 3);
  let loadPartitionLag = 0;
  const sample = async () => {
    const [lag, dlt] = await Promise.all([kafka.lag(config.groupId, config.topic), deadLetters()]);
    if (!simulatorDone && (performance.now() - began) / 1000 >= warmUpSeconds)
      loadPartitionLag = Math.max(loadPartitionLag, ...lag.byPartition.values());
    line.show({
      seconds: (performance.now() - began) / 1000,
      produced: sum(lag.end) - sum(start.end),
      consumed: sum(lag.committed) - sum(start.committed),
      lag: lag.total,
      deadLettered: dlt - dltBefore,
    });
    return lag.total;
  };
  simulator.exited.then(() => (simulatorDone = true));
  while (!simulatorDone) {
    await sample().catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const simulatorExit = await simulator.exited;
  const summaryLine = simulator
    .output()
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop();
  if (!summaryLine)
    throw new Error(
      `the simulator failed (exit ${JSON.stringify(simulatorExit)}):\n${simulator.output().slice(-3000)}`,
    );
  const simulation = JSON.parse(summaryLine) as SimulationSummary;

  const stopped = performance.now();
  let drainSeconds: number | undefined;
  while (performance.now() - stopped < 300_000) {
    if ((await sample().catch(() => -1)) === 0) {
      drainSeconds = (performance.now() - stopped) / 1000;
      break;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  line.end();

  const probes: Record<string, number> = {};
  for (const path of ['/health/live', '/health/ready']) probes[path] = (await fetch(url(path))).status;
  const stopping = performance.now();
  app.process.kill('SIGTERM');
  const exit = await app.exited;
  const stopMs = performance.now() - stopping;
  const clean = exit.signal === 'SIGTERM' && !/\bERROR\b/.test(app.output().slice(readyFrom));

  const rowsAfter = await countRows(database.url, TABLES);
  const counted = (await countedMessages(database.url)) - countedBefore;
  const deadLettered = (await deadLetters()) - dltBefore;
  kafka.close();
  await database.close();

  const report = demoReport({
    broker: `${config.kafkaBootstrap} (${process.env.DEMO_BROKER ?? 'given'})`,
    database: database.description,
    devices,
    durationSeconds: seconds,
    simulation,
    backlogAtStart: start.total,
    rowsBefore,
    rowsAfter,
    counted,
    deadLettered,
    dltTopic,
    drainSeconds,
    partitionLag: { max: loadPartitionLag, warmUpSeconds, batch: READINGS_LISTENER_OPTIONS.maxPollRecords },
    probes,
    shutdown: `${clean ? 'clean' : 'NOT clean'} (SIGTERM → exit in ${(stopMs / 1000).toFixed(1)} s)`,
  });
  process.stdout.write(`\n${report.text}\n`);
  if (!report.ok || !clean) process.exitCode = 1;
}

main().catch((err: Error) => {
  process.stderr.write(`[demo] ${err.message}\n`);
  process.exit(1);
});
