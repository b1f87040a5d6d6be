import type { SimulationSummary } from '../simulator/simulation.runner';

export interface DemoResult {
  broker: string;
  database: string;
  devices: number;
  durationSeconds: number;
  simulation: SimulationSummary;
  backlogAtStart: number;
  rowsBefore: Record<string, number>;
  rowsAfter: Record<string, number>;
  /** Messages this run added to device_minutes' counts (increments: a batch stored twice counts twice). */
  counted: number;
  deadLettered: number;
  dltTopic: string;
  drainSeconds: number | undefined;
  /** The most any partition was behind while the load ran, after the warm-up; one batch is the bound. */
  partitionLag: { max: number; warmUpSeconds: number; batch: number };
  probes: Record<string, number>;
  shutdown: string;
}

const n = (v: number) => Math.round(v).toLocaleString('en-US');

/** The closing report, and whether the numbers add up. */
export function demoReport(r: DemoResult): { text: string; ok: boolean } {
  const added = r.rowsAfter.telemetry_readings - r.rowsBefore.telemetry_readings;
  const { valid, duplicate, invalid } = r.simulation.kinds;
  // Readings left over from an interrupted earlier run are stored too; they are not in this run's counts.
  const exact = r.backlogAtStart === 0;
  const checks = [
    {
      ok: exact ? added === valid : added >= valid,
      text: `rows added ${exact ? '=' : '≥'} valid readings sent`,
    },
    {
      // Resends are messages too: the aggregate counts every valid message once.
      ok: exact ? r.counted === valid + duplicate : r.counted >= valid + duplicate,
      text: `per-minute counts ${exact ? '=' : '≥'} valid messages sent (each counted once)`,
    },
    {
      ok: exact ? r.deadLettered === invalid : r.deadLettered >= invalid,
      text: `dead-lettered ${exact ? '=' : '≥'} invalid readings sent`,
    },
    ...(exact
      ? [{ ok: r.partitionLag.max <= r.partitionLag.batch, text: 'lag under one batch per partition' }]
      : []),
    { ok: r.drainSeconds !== undefined, text: 'lag reached zero' },
    { ok: Object.values(r.probes).every((status) => status === 200), text: 'probes answered 200' },
    { ok: r.simulation.errors === 0, text: 'no produce errors' },
  ];
  const rows: [string, string][] = [
    ['broker', r.broker],
    ['database', r.database],
    ['load', `${r.durationSeconds} s, ${n(r.devices)} devices (one reading a minute each)`],
    [
      'records produced',
      `${n(r.simulation.delivered)} in ${r.simulation.seconds.toFixed(1)} s = ${n(r.simulation.rate)}/s ` +
        `(valid ${n(valid)}, duplicates ${n(duplicate)}, invalid ${n(invalid)}; errors ${n(r.simulation.errors)})`,
    ],
    ...(r.backlogAtStart > 0
      ? ([['earlier backlog', `${n(r.backlogAtStart)} records unconsumed at the start`]] as [
          string,
          string,
        ][])
      : []),
    [
      'rows in the database',
      `telemetry_readings ${n(r.rowsAfter.telemetry_readings)} (+${n(added)} this run), ` +
        `device_latest ${n(r.rowsAfter.device_latest)}`,
    ],
    ['per-minute counts', `${n(r.counted)} messages counted in device_minutes this run (exactly-once)`],
    ['dead-lettered', `${n(r.deadLettered)} on ${r.dltTopic}`],
    [
      'lag under load',
      `at most ${n(r.partitionLag.max)} records behind on any partition after a ${r.partitionLag.warmUpSeconds.toFixed(0)} s ` +
        `warm-up (one batch: ${n(r.partitionLag.batch)})`,
    ],
    [
      'lag to zero',
      r.drainSeconds === undefined
        ? 'NOT reached'
        : `${r.drainSeconds.toFixed(1)} s after the simulator stopped`,
    ],
    [
      'probes',
      Object.entries(r.probes)
        .map(([path, status]) => `${path} ${status}`)
        .join(', '),
    ],
    ['shutdown', r.shutdown],
    ['checks', checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.text}`).join('; ')],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  const text = [
    '──────────── telemetry demo report ────────────',
    ...rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`),
  ].join('\n');
  return { text, ok: checks.every((c) => c.ok) };
}
