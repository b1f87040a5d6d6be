import type { DrainResult } from './drain.scenario';
import type { ChartFile } from './e2e.charts';
import type { E2eResults } from './e2e.runner';
import type { SteadyResult } from './steady.scenario';

const fmt = (n: number | undefined) =>
  n === undefined || !Number.isFinite(n) ? '—' : Math.round(n).toLocaleString('en-US');
const times = (value: number | undefined, reference: number | undefined, digits = 2) =>
  value === undefined || !reference ? '—' : (value / reference).toFixed(digits);
const cores = (value: number | undefined) => (value === undefined ? '—' : value.toFixed(2));
const mb = (bytes: number | undefined) => (bytes === undefined ? '—' : `${Math.round(bytes / 2 ** 20)} MB`);
const yes = (met: boolean) => (met ? 'yes' : '**no**');

/** The Markdown report: goals, one table per scenario, the charts, and how the numbers were taken. */
export function renderE2eReport(results: E2eResults, charts: ChartFile[], machine: string): string {
  const { config } = results;
  const rate = (kind: string) =>
    results.drains.find((result) => result.variant.kind === kind)?.recordsPerSecond;
  const naive = rate('naive-per-message');
  const transported = rate('naive-per-message-transport');
  const client = rate('bare-loop');
  const copy = results.copy?.perSecond;
  const listeners = results.drains.filter(
    (r) => r.variant.kind === 'batch-listener' && r.variant.processes === 1,
  );
  const best = listeners.reduce<DrainResult | undefined>(
    (top, result) => (!top || result.recordsPerSecond > top.recordsPerSecond ? result : top),
    undefined,
  );
  const listenerSteady = results.steady.filter((result) => result.variant.kind === 'batch-listener');
  const seed = listenerSteady.find((result) => result.targetRate === config.steadyRate);
  const highest = listenerSteady
    .filter((result) => result.held)
    .reduce<SteadyResult | undefined>(
      (top, r) => (!top || r.targetRate > top.targetRate ? r : top),
      undefined,
    );

  const drainRow = (result: DrainResult) =>
    `| ${result.variant.label} | ${fmt(result.records)} | ${fmt(result.rows)} | ${fmt(result.recordsPerSecond)} | ` +
    `${times(result.recordsPerSecond, naive, 1)} | ${times(result.recordsPerSecond, copy)} | ` +
    `${times(result.recordsPerSecond, client)} | ${result.secondsToLagZero.toFixed(1)}${result.complete ? '' : ' (est.)'} | ` +
    `${cores(result.cores)} | ${mb(result.peakRssBytes)} |`;
  const steadyRow = (result: SteadyResult) =>
    `| ${result.variant.label} | ${fmt(result.targetRate)} | ${fmt(result.producedRate)} | ${fmt(result.warmupMaxPartitionLag)} | ` +
    `${fmt(result.maxPartitionLag)} (≤ ${fmt(result.bound)}) at ${result.maxPartitionLagAt?.toFixed(0) ?? '—'} s | ${result.caughtUp ? 'yes' : 'no'} | ${result.held ? '**held**' : 'not held'} | ` +
    `${fmt(result.p50Ms)} | ${fmt(result.p99Ms)} | ${cores(result.cores)} | ${mb(result.peakRssBytes)} |`;
  const scaleOne = results.scale[0]?.recordsPerSecond;

  return [
    `# End to end: Kafka → validation → PostgreSQL — ${results.startedAt.toISOString()}`,
    '',
    results.failure
      ? `**This run stopped early** (${results.failure.split('\n')[0]}): the tables hold the phases that finished.\n`
      : '',
    `Machine: ${machine}; PostgreSQL ${results.postgres} and one Apache Kafka broker on loopback, on the same`,
    'machine as the consumers and the producer. Readings come from the telemetry app’s simulator',
    `(${fmt(config.devices)} devices, every reading valid and distinct) on ${config.partitions} partitions, stored uncompressed`,
    '(KafkaJS reads no LZ4). Every consumer writes the telemetry app’s tables `telemetry_readings` and',
    '`device_latest`, emptied before each run, and runs in its own process: CPU (1.00 = one core busy) and',
    'peak RSS are read from `/proc`; lag is the broker’s (end offsets − committed offsets), sampled every',
    `${config.sampleMs} ms; latency is the record’s produce timestamp → its transaction committed.`,
    '',
    `Sizes of this run: drain ${fmt(config.drainRecords)} readings, naive baselines capped at ${config.naiveSeconds} s,`,
    `listener drains at ${config.drainCapSeconds} s,`,
    `steady phases of ${config.steadySeconds} s (naive ${config.naiveSteadySeconds} s, search ${config.searchSeconds} s), each after`,
    `a warm-up of ${config.steadyWarmupSeconds} s at its rate.`,
    config.consumerNodeArgs.length > 0
      ? `Node flags of the consumers: \`${config.consumerNodeArgs.join(' ')}\`.`
      : '',
    '',
    '## Goals',
    '',
    '| goal | measured | met |',
    '|---|---|---|',
    `| ≥ 30× the naive baseline’s records/s | best listener ${fmt(best?.recordsPerSecond)}/s = ${times(best?.recordsPerSecond, naive, 1)}× naive (${best?.variant.key ?? '—'}) | ${yes((best?.recordsPerSecond ?? 0) >= 30 * (naive ?? Infinity))} |`,
    `| ≥ 0.5× the COPY ceiling end to end | ${times(best?.recordsPerSecond, copy)}× COPY | ${yes((best?.recordsPerSecond ?? 0) >= 0.5 * (copy ?? Infinity))} |`,
    `| the seed’s load (${fmt(config.steadyRate)}/s) with bounded lag on < 1 core | ${seed ? `max lag ${fmt(seed.maxPartitionLag)} per partition (≤ ${fmt(seed.bound)}), ${cores(seed.cores)} cores` : 'not run'} | ${yes(!!seed?.held && (seed.cores ?? 1) < 1)} |`,
    `| (migration) the naive consumer with only its transport line changed to \`KafkaBatchTransport\` | ${fmt(transported)}/s = ${times(transported, naive)}× naive on KafkaJS; the best @BatchListener = ${times(best?.recordsPerSecond, transported, 1)}× it | — |`,
    `| highest rate held with bounded lag | ${highest ? `${fmt(highest.targetRate)}/s = ${(highest.targetRate / config.steadyRate).toFixed(1)}× the seed’s load` : 'none'} | — |`,
    '',
    `## Drain: a backlog of ${fmt(results.backlog.records)} readings`,
    '',
    `Produced at ${fmt(results.backlog.producedPerSecond)}/s before the consumers start. records/s runs from the first record`,
    'stored to the last (start-up excluded); time to lag zero runs from process start (start-up included), and',
    'for time-capped runs is start-up + backlog ÷ records/s. COPY ceiling: the rows the first listener run stored,',
    'exported and written back with COPY FROM into the emptied tables in one transaction.',
    '',
    '| consumer | records | rows stored | records/s | × naive | × COPY ceiling | × client ceiling | time to lag zero (s) | CPU (cores) | peak RSS |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    results.copy
      ? `| database ceiling: COPY of the same rows into the same tables | ${fmt(results.copy.readings)} | ${fmt(results.copy.readings)} | ${fmt(copy)} | ${times(copy, naive, 1)} | 1.00 | ${times(copy, client)} | — | — | — |`
      : '',
    ...results.drains.map(drainRow),
    '',
    `## Scale: ${results.scale[0]?.variant.label ?? 'the listener'} in 1…${config.scaleProcesses.at(-1)} processes`,
    '',
    '| processes | records/s | × 1 process | time to lag zero (s) | CPU, all processes (cores) | peak RSS of a process |',
    '|---:|---:|---:|---:|---:|---:|',
    ...results.scale.map(
      (result) =>
        `| ${result.variant.processes} | ${fmt(result.recordsPerSecond)} | ${times(result.recordsPerSecond, scaleOne)} | ` +
        `${result.secondsToLagZero.toFixed(1)} | ${cores(result.cores)} | ${mb(result.peakRssBytes)} |`,
    ),
    '',
    '## Steady load',
    '',
    'Each phase: a new topic, the consumers joined before the load starts, then the simulator at the target rate:',
    `first ${config.steadyWarmupSeconds} s of warm-up, whose lag is shown apart, then the measured ${config.steadySeconds} s. Bounded lag:`,
    'no partition ever more than one batch (maxPollRecords) behind while the measured load runs, back to zero',
    'lag after it, and the producer reaching ≥ 95 % of the target. Latencies and CPU cover the measured load only.',
    'Every phase starts on emptied tables after a PostgreSQL CHECKPOINT, so no phase writes back an earlier one’s rows.',
    '',
    '| consumer | target /s | produced /s | max lag of a partition in warm-up | max lag of a partition, when | caught up | bounded lag | p50 ms | p99 ms | CPU (cores) | peak RSS |',
    '|---|---:|---:|---:|---:|---|---|---:|---:|---:|---:|',
    ...results.steady.map(steadyRow),
    '',
    '## Charts',
    '',
    ...charts.map((chart) => `![${chart.title}](${chart.file})\n`),
  ]
    .filter((line, i, lines) => line !== '' || lines[i - 1] !== '')
    .join('\n');
}
