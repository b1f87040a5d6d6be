// Benchmark for issue 3: a no-op @BatchListener against a bare librdkafka consume loop on the same
// records, in the same run, and the consumer's peak RSS while draining a large backlog.
//
//   pnpm bench:listener                       # 1,000,000 records, 5,000,000 for the RSS run
//                                             # (compiles bench/ to bench/dist and runs plain JS)
//   RECORDS=200000 BACKLOG=0 pnpm bench:listener
//
// Each figure is reported as a ratio against the bare loop measured in the same run.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { BatchListener, KafkaBatch, KafkaBatchModule } from '@org/kafka-batch';
import { KafkaAdmin, kafkaBootstrap, produceRecords, uniqueName } from '@org/testing';
import { spawn } from 'node:child_process';
import {
  BatchSpanProcessor,
  NodeTracerProvider,
  ReadableSpan,
  SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { BareConsumer } from './fixtures/bare.consumer';
import { machineDescription, writeReport } from './report';

const PARTITIONS = 12;

/** With `traced`, each record carries a W3C traceparent of its own, as a traced producer writes. */
export async function prepareTopic(records: number, traced = false): Promise<string> {
  const admin = new KafkaAdmin();
  const topic = uniqueName('bench');
  await admin.createTopic(topic, PARTITIONS);
  admin.close();
  const chunk = 250_000;
  for (let sent = 0; sent < records; sent += chunk) {
    const n = Math.min(chunk, records - sent);
    // A small telemetry-like record (~90 bytes).
    await produceRecords(
      topic,
      Array.from({ length: n }, (_, i) => ({
        key: `device-${(sent + i) % 500_000}`,
        value: `{"deviceId":"device-${(sent + i) % 500_000}","ts":${1_700_000_000_000 + sent + i},"t":21.5,"h":40}`,
        headers: traced ? { traceparent: traceparentOf(sent + i) } : undefined,
      })),
    );
  }
  return topic;
}

const traceparentOf = (n: number) =>
  `00-${(n + 1).toString(16).padStart(32, '0')}-${(n + 1).toString(16).padStart(16, '0')}-01`;

/** Records per second, and the process's CPU time (every thread) per record, over one drain. */
export interface Drain {
  rate: number;
  cpuMicrosPerRecord: number;
}

/** Starts the clocks; the returned function stops them. */
function measure(records: number): () => Drain {
  const started = performance.now();
  const cpu = process.cpuUsage();
  return () => {
    const { user, system } = process.cpuUsage(cpu);
    return {
      rate: records / ((performance.now() - started) / 1000),
      cpuMicrosPerRecord: (user + system) / records,
    };
  };
}

/**
 * The client's ceiling: consume(500) in a loop, no commits. With `parseJson`, each value goes
 * through JSON.parse, as the JSON listener's do: the price of decoding, apart from the library's.
 */
export async function bareLoop(topic: string, records: number, parseJson = false): Promise<Drain> {
  const consumer = await BareConsumer.subscribe(topic, uniqueName('bare'));
  const stop = measure(records);
  let seen = 0;
  while (seen < records) {
    const batch = await consumer.next();
    if (parseJson) for (const message of batch) JSON.parse(message.value!.toString('utf8'));
    seen += batch.length;
  }
  const drain = stop();
  await consumer.close();
  return drain;
}

/** A no-op @BatchListener (ackMode batch: commits included) until it has seen every record. */
export async function noOpListener(
  topic: string,
  records: number,
  deserializer: 'raw' | 'json',
  tracing?: boolean,
): Promise<Drain> {
  let seen = 0;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => (resolveDone = resolve));

  @Injectable()
  class NoOpListener {
    @BatchListener({
      topics: [topic],
      groupId: uniqueName('noop'),
      maxPollRecords: 500,
      deserializer,
      ackMode: 'batch',
      tracing,
    })
    onBatch(batch: KafkaBatch): void {
      seen += batch.size;
      if (seen >= records) resolveDone();
    }
  }
  @Module({ imports: [KafkaBatchModule.forRoot({ brokers: kafkaBootstrap() })], providers: [NoOpListener] })
  class BenchModule {}

  const app = await NestFactory.createApplicationContext(BenchModule, { logger: ['error', 'warn'] });
  // Timed like the bare loop: from a connected, subscribed consumer (group join and fetching included).
  await app.init();
  const stop = measure(records);
  await done;
  const drain = stop();
  await app.close();
  return drain;
}

/** Drains the topic in a child process (no-op listener or bare loop) and samples its RSS every 100 ms. */
export async function drainRss(
  topic: string,
  records: number,
  { consumer = 'listener', nodeOptions = '' }: { consumer?: 'listener' | 'bare'; nodeOptions?: string } = {},
): Promise<{ peakMb: number; startMb: number; seconds: number }> {
  // The benchmark runs compiled (bench/dist), as a production consumer does: no TypeScript compiler in memory.
  const child = spawn(process.execPath, [__filename, 'drain', topic, String(records), consumer], {
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let peakMb = 0;
  let startMb = 0;
  let seconds = 0;
  child.stdout.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) {
      const rss = /^rss (\d+)/.exec(line);
      if (rss) {
        const mb = Number(rss[1]) / 1024 / 1024;
        startMb ||= mb;
        peakMb = Math.max(peakMb, mb);
      }
      const end = /^done ([\d.]+)/.exec(line);
      if (end) seconds = Number(end[1]);
    }
  });
  await new Promise((resolve) => child.once('exit', resolve));
  return { peakMb, startMb, seconds };
}

async function drainChild(topic: string, records: number, consumer: string): Promise<void> {
  const sampler = setInterval(() => process.stdout.write(`rss ${process.memoryUsage.rss()}\n`), 100);
  const { rate } =
    consumer === 'bare' ? await bareLoop(topic, records) : await noOpListener(topic, records, 'json');
  clearInterval(sampler);
  process.stdout.write(`done ${(records / rate).toFixed(1)}\n`);
  process.exit(0);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** A report row: medians of `drains`, and their ratios to the medians of `reference`. */
function row(label: string, drains: Drain[], reference: Drain[]): string {
  const rate = median(drains.map((d) => d.rate));
  const cpu = median(drains.map((d) => d.cpuMicrosPerRecord));
  const referenceRate = median(reference.map((d) => d.rate));
  const referenceCpu = median(reference.map((d) => d.cpuMicrosPerRecord));
  return `| ${label} | ${fmt(rate)} | ${(rate / referenceRate).toFixed(2)} | ${cpu.toFixed(2)} µs | ${(cpu / referenceCpu).toFixed(2)} |`;
}

async function main(): Promise<void> {
  const records = Number(process.env.RECORDS ?? 1_000_000);
  const backlog = Number(process.env.BACKLOG ?? 5_000_000);
  const rounds = Number(process.env.ROUNDS ?? 3);
  console.log(`producing ${fmt(records)} records to ${PARTITIONS} partitions…`);
  const topic = await prepareTopic(records);

  const bare: Drain[] = [];
  const bareJson: Drain[] = [];
  const raw: Drain[] = [];
  const json: Drain[] = [];
  const consumers = [
    () => bareLoop(topic, records).then((rate) => bare.push(rate)),
    () => bareLoop(topic, records, true).then((rate) => bareJson.push(rate)),
    () => noOpListener(topic, records, 'raw').then((rate) => raw.push(rate)),
    () => noOpListener(topic, records, 'json').then((rate) => json.push(rate)),
  ];
  for (let round = 1; round <= rounds; round++) {
    // Each consumer goes first in turn: the one after the bare loop ran slower (2026-12-04).
    for (let i = 0; i < consumers.length; i++) await consumers[(round - 1 + i) % consumers.length]();
    console.log(
      `round ${round}: bare ${fmt(bare.at(-1)!.rate)}/s, bare+JSON.parse ${fmt(bareJson.at(-1)!.rate)}/s, listener(raw) ${fmt(raw.at(-1)!.rate)}/s, listener(json) ${fmt(json.at(-1)!.rate)}/s`,
    );
  }
  const rows = [
    `| consumer (medians of ${rounds} rounds, each consumer first in turn) | records/s | ratio to its bare loop | process CPU per record | ratio to its bare loop |`,
    '|---|---:|---:|---:|---:|',
    row('bare librdkafka consume(500) loop, no decoding, no commits', bare, bare),
    row('no-op @BatchListener, raw values, batch commits', raw, bare),
    row('bare loop + JSON.parse of every value (the reference for JSON)', bareJson, bareJson),
    row('no-op @BatchListener, JSON values, batch commits', json, bareJson),
    row('the same, against the bare loop without decoding', json, bare),
  ];
  const tracing = await tracingOverhead(records, rounds);
  let rss = '';
  if (backlog > 0) {
    console.log(`producing a backlog of ${fmt(backlog)} records…`);
    const backlogTopic = await prepareTopic(backlog);
    // The same drain on the smaller topic shows whether memory grows with the backlog.
    const runs = [
      {
        label: `bare consume loop (reference), ${fmt(backlog)}-record backlog, default heap`,
        records: backlog,
        result: await drainRss(backlogTopic, backlog, { consumer: 'bare' }),
      },
      {
        label: `${fmt(records)}-record backlog, default heap`,
        records,
        result: await drainRss(topic, records),
      },
      {
        label: `${fmt(backlog)}-record backlog, default heap`,
        records: backlog,
        result: await drainRss(backlogTopic, backlog),
      },
      {
        label: `${fmt(backlog)}-record backlog, \`--max-old-space-size=160\``,
        records: backlog,
        result: await drainRss(backlogTopic, backlog, { nodeOptions: '--max-old-space-size=160' }),
      },
      {
        label: `${fmt(backlog)}-record backlog, \`--max-old-space-size=96\``,
        records: backlog,
        result: await drainRss(backlogTopic, backlog, { nodeOptions: '--max-old-space-size=96' }),
      },
    ];
    rss = [
      '',
      'Draining a backlog with a no-op listener (JSON values, default in-flight budget of 10,000 records), RSS sampled every',
      '100 ms; the first row is the bare consume loop on the same backlog. Peak RSS is set by V8, which lets garbage grow',
      "with the machine's memory; a heap limit bounds it at the same speed.",
      '',
      '| run | RSS at start | peak RSS | records/s |',
      '|---|---:|---:|---:|',
      ...runs.map(
        ({ label, records: drained, result }) =>
          `| ${label} | ${result.startMb.toFixed(0)} MB | ${result.peakMb.toFixed(0)} MB | ${fmt(drained / result.seconds)} |`,
      ),
    ].join('\n');
  }
  const machine = machineDescription();
  const report = [
    `# Listener overhead — ${new Date().toISOString()}`,
    '',
    `Machine: ${machine}. ${fmt(records)} records of ~90 bytes on ${PARTITIONS} partitions, one broker on loopback.`,
    '',
    ...rows,
    tracing,
    rss,
    '',
  ].join('\n');
  writeReport('listener-throughput.md', report);
}

/**
 * The no-op JSON listener with tracing off and on, alternating, on records that each carry a
 * traceparent, with an OpenTelemetry SDK registered (batching span processor, an exporter that
 * drops what it gets): what a batch span with its links costs, apart from any exporter's network.
 */
async function tracingOverhead(records: number, rounds: number): Promise<string> {
  console.log(`producing ${fmt(records)} records with a traceparent each…`);
  const topic = await prepareTopic(records, true);
  const alternate = async (phase: string) => {
    const off: Drain[] = [];
    const on: Drain[] = [];
    const variants = [
      () => noOpListener(topic, records, 'json', false).then((drain) => off.push(drain)),
      () => noOpListener(topic, records, 'json', true).then((drain) => on.push(drain)),
    ];
    for (let round = 1; round <= rounds; round++) {
      for (let i = 0; i < variants.length; i++) await variants[(round - 1 + i) % variants.length]();
      console.log(
        `tracing ${phase} round ${round}: off ${fmt(off.at(-1)!.rate)}/s, on ${fmt(on.at(-1)!.rate)}/s`,
      );
    }
    return { off, on };
  };
  // First with no SDK (the API's no-op tracer), then with one registered.
  const withoutSdk = await alternate('without an SDK');
  const provider = new NodeTracerProvider({
    spanProcessors: [new BatchSpanProcessor(new DroppingExporter())],
  });
  provider.register();
  const withSdk = await alternate('with an SDK');
  await provider.shutdown();
  return [
    '',
    `Tracing (medians of ${rounds} rounds, alternating): the no-op JSON listener on records that each carry a traceparent,`,
    'first with no OpenTelemetry SDK registered (the API alone), then with one (BatchSpanProcessor, an exporter that drops',
    'the spans): one span per batch of 500 with up to 128 links.',
    '',
    '| listener | records/s | ratio to tracing off | process CPU per record | ratio to tracing off |',
    '|---|---:|---:|---:|---:|',
    row('no SDK: `tracing: false`', withoutSdk.off, withoutSdk.off),
    row('no SDK: `tracing: true` (the default)', withoutSdk.on, withoutSdk.off),
    row('SDK registered: `tracing: false`', withSdk.off, withSdk.off),
    row('SDK registered: `tracing: true`', withSdk.on, withSdk.off),
  ].join('\n');
}

/** Takes spans and drops them: the SDK's work is measured, not an exporter's network. */
class DroppingExporter implements SpanExporter {
  export(_spans: ReadableSpan[], done: (result: { code: number }) => void): void {
    done({ code: 0 });
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

if (require.main === module) {
  const [mode, topic, records, consumer] = process.argv.slice(2);
  (mode === 'drain' ? drainChild(topic, Number(records), consumer) : main()).catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
