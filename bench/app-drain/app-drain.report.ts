import type { AppDrainResults } from './app-drain.runner';
import type { AppDrainRun } from './app-drain.run';
import type { BuildMedians, Goal, MedianName } from './app-drain.summary';

const integer = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const decimal = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const megabytes = (bytes: number) => `${integer(bytes / 2 ** 20)} MB`;
const loads = (averages: number[] | undefined) => averages?.map((load) => load.toFixed(2)).join(' / ') ?? '—';

/** How each median is shown, in the order of the summary table. */
const MEDIAN_ROWS: { name: MedianName; label: string; show: (n: number) => string }[] = [
  { name: 'readingsPerSecond', label: 'readings/s, first reading stored → lag zero', show: integer },
  {
    name: 'cpuSecondsPerMillionReadings',
    label: 'CPU-seconds per 1M stored readings (whole process, start → lag zero)',
    show: (n) => decimal(n),
  },
  {
    name: 'drainCpuSecondsPerMillionReadings',
    label: 'the same from the first reading stored to lag zero (start-up left out)',
    show: (n) => decimal(n),
  },
  { name: 'peakRssBytes', label: 'peak RSS (VmHWM)', show: megabytes },
  { name: 'secondsToLagZero', label: 'time to lag zero from process start (s)', show: (n) => decimal(n) },
  { name: 'secondsToFirstStored', label: 'time to the first reading stored (s)', show: (n) => decimal(n) },
  {
    name: 'startupCpuSeconds',
    label: 'CPU-seconds before the first reading stored',
    show: (n) => decimal(n, 2),
  },
];

function goalRow(goal: Goal): string {
  const show = (n: number) => (goal.unit === 'bytes' ? megabytes(n) : `${decimal(n, 2)}×`);
  return `| ${goal.goal} ${goal.relation} ${show(goal.bound)} | ${show(goal.value)} | ${goal.met ? 'yes' : '**no**'} |`;
}

function runRow(run: AppDrainRun): string {
  const exit = run.exit.signal ?? `code ${run.exit.code}`;
  const rows =
    run.rows === run.records ? integer(run.rows) : `**${integer(run.rows)}** of ${integer(run.records)}`;
  return (
    `| ${run.round} | ${run.role} | ${run.order} | ${integer(run.readingsPerSecond)} | ${decimal(run.drainSeconds)} | ` +
    `${decimal(run.secondsToFirstStored)} | ${decimal(run.secondsToLagZero)} | ${decimal(run.cpuSeconds)} | ` +
    `${decimal(run.cpuSecondsPerMillionReadings)} | ${decimal(run.startupCpuSeconds, 2)} | ${megabytes(run.peakRssBytes)} | ` +
    `${rows} | ${exit} after ${decimal(run.exit.seconds)} s | \`${run.code}\` |`
  );
}

/** The Markdown report: the goals of issue #19, the medians and their ratios, every run, and how they were taken. */
export function renderAppDrainReport(results: AppDrainResults): string {
  const { config, machine, builds, backlog, summary } = results;
  const medianCell = (medians: BuildMedians, row: (typeof MEDIAN_ROWS)[number]) =>
    row.show(medians[row.name]);
  return [
    `# App drain, A/B against a pinned build — ${results.startedAt}`,
    '',
    results.failure
      ? `**This run stopped early** (${results.failure.split('\n')[0]}): the figures are those of the runs that finished.\n`
      : '',
    `Command: \`${results.command}\``,
    '',
    `Machine: ${machine.description}; nproc ${machine.nproc} (${machine.cpuModel}); load average ${loads(machine.loadAverageAtStart)}`,
    `(1 / 5 / 15 min) at start, ${loads(machine.loadAverageBeforeRuns)} before the first run. PostgreSQL ${machine.postgres ?? '—'}`,
    'and one Kafka broker on loopback, on the same machine.',
    '',
    '| build | built from | folder | compiled code (a hash per run’s code; a rebuild mid-run shows two) |',
    '|---|---|---|---|',
    ...(['baseline', 'candidate'] as const).map((role) => {
      const build = builds[role];
      const codes = [...new Set(results.runs.filter((run) => run.role === role).map((run) => run.code))];
      return `| ${role} | ${build?.source ?? '—'} | \`${build?.root ?? '—'}\` | ${codes.map((code) => `\`${code}\``).join(', ') || '—'} |`;
    }),
    '',
    backlog
      ? `Backlog: ${integer(backlog.records)} readings from the app’s simulator (${integer(config.devices)} devices, every reading valid ` +
        `and distinct) on ${backlog.partitions} partitions, LZ4-compressed as the simulator sends them, produced once at ` +
        `${integer(backlog.producedPerSecond)}/s before the runs. Each run drains all of it.`
      : '',
    '',
    'Each run: a new database (the build creates its schema with its own migrations) after a PostgreSQL CHECKPOINT,',
    'a new consumer group, and `node apps/telemetry/dist/main.js` of the build with its default settings (only',
    '`KAFKA_BOOTSTRAP`, `TELEMETRY_TOPIC`, `TELEMETRY_GROUP_ID`, `DATABASE_URL` and `PORT=0` set), stopped with SIGTERM',
    `once the broker shows the group’s lag at zero (sampled every ${config.sampleMs} ms). readings/s runs from the first`,
    'reading in the database to lag zero; CPU is user + system time of every thread of the process from `/proc`, from its',
    'start to lag zero, per 1,000,000 stored readings; peak RSS is the kernel’s high-water mark (VmHWM), start-up',
    `included. The builds alternate, and which goes first alternates from round to round.` +
      (config.appNodeArgs.length ? ` Node flags of both apps: \`${config.appNodeArgs.join(' ')}\`.` : ''),
    '',
    '## Goals of issue #19',
    '',
    summary
      ? [
          '| goal | measured | met |',
          '|---|---:|---|',
          ...summary.goals.map(goalRow),
          '',
          backlog && backlog.records !== 1_000_000
            ? `The issue bounds peak RSS while draining 1,000,000 readings; this backlog is ${integer(backlog.records)}.`
            : '',
        ].join('\n')
      : 'Not judged: a build has no finished run.',
    '',
    `## Medians (runs: ${summary?.baseline.runs ?? 0} of the baseline, ${summary?.candidate.runs ?? 0} of the candidate)`,
    '',
    ...(summary
      ? [
          '| measure | baseline | candidate | candidate ÷ baseline |',
          '|---|---:|---:|---:|',
          ...MEDIAN_ROWS.map(
            (row) =>
              `| ${row.label} | ${medianCell(summary.baseline, row)} | ${medianCell(summary.candidate, row)} | ` +
              `${decimal(summary.ratios[row.name], 2)} |`,
          ),
          '',
          summary.incompleteRuns
            ? `**${summary.incompleteRuns} run(s) stored a different number of rows than the records produced.**`
            : 'Every run stored exactly the records produced.',
          summary.candidateCodeUnchanged
            ? ''
            : '**The candidate’s compiled code changed between its runs** (the working tree was rebuilt meanwhile): its figures mix builds.',
        ]
      : []),
    '',
    '## Runs',
    '',
    '| round | build | order | readings/s | drain (s) | to first stored (s) | to lag zero (s) | CPU (s) | CPU-s per 1M | start-up CPU (s) | peak RSS | rows stored | exit | code |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|',
    ...results.runs.map(runRow),
    '',
  ]
    .filter((line, i, lines) => line !== '' || lines[i - 1] !== '')
    .join('\n');
}
