// Benchmark for issue 4: three consumer processes over a 12-partition topic under steady load, for
// (static membership + cooperative-sticky) against (dynamic + eager range), in two scenarios:
// - restart: a rolling restart, each process stopped with SIGTERM and started again;
// - scale-down: 3 → 2, the last process stopped for good; static members also once more with
//   the library's leave on shutdown (leaveGroupOnShutdown), which a plain static member lacks.
// Reports rebalances (the broker's own stabilized generations), the time partitions had no owner,
// and the records delivered more than once; every record produced must have been handled.
//
//   pnpm bench:rolling                          (RATE=2000 records/s, both scenarios by default)
//   SCENARIOS=scale-down pnpm bench:rolling     (one of them: restart or scale-down)
import { GroupOutcome, GroupUnderLoad, MEMBERS, Membership, PARTITIONS, RATE, sleep } from './rolling-group';
import { allOwnedSince, unownedMs } from './partition-ownership';
import { machineDescription, writeReport } from './report';

const SCENARIOS = (process.env.SCENARIOS ?? 'restart,scale-down').split(',');
const unknown = SCENARIOS.filter((s) => s !== 'restart' && s !== 'scale-down');
if (unknown.length > 0) throw new Error(`SCENARIOS: unknown ${unknown.join(', ')} (restart, scale-down)`);
const MODE_HEADERS: Record<Membership, string> = {
  static: 'static + cooperative-sticky',
  'static-leave': 'static + cooperative-sticky, leaving on shutdown',
  dynamic: 'dynamic + range (eager)',
};

type Results = Record<string, number>;

/** The rows every scenario reports, from the group's outcome and the moment its disturbance began. */
function common(outcome: GroupOutcome, from: number): Results {
  return {
    rebalances: outcome.rebalances,
    unownedPartitionSeconds: unownedMs(outcome.events, from) / 1000,
    maxLag: outcome.maxLag,
    redelivered: outcome.redelivered,
    lost: outcome.lost,
    produced: outcome.produced,
  };
}

async function rollingRestart(mode: Membership): Promise<Results> {
  const group = await GroupUnderLoad.start(mode);
  const from = Date.now();
  for (let i = 0; i < MEMBERS; i++) {
    await group.restart(i);
    await sleep(5_000);
  }
  const restartSeconds = (Date.now() - from) / 1000;
  return { ...common(await group.finish(), from), restartSeconds };
}

async function scaleDown(mode: Membership): Promise<Results> {
  const group = await GroupUnderLoad.start(mode);
  const sigtermAt = Date.now();
  // The highest ordinal: the pod a StatefulSet scale-down removes. It is not started again.
  await group.stop(MEMBERS - 1);
  await group.settled();
  const outcome = await group.finish();
  // settled() waited until every partition had an owner; since before the SIGTERM when none moved.
  const ownedAgainAt = Math.max(allOwnedSince(outcome.events, PARTITIONS)!, sigtermAt);
  return { ...common(outcome, sigtermAt), ownedAgainSeconds: (ownedAgainAt - sigtermAt) / 1000 };
}

/** A markdown table with one column per mode, one row per [label, key]. */
function table(results: Partial<Record<Membership, Results>>, rows: [string, string][]): string[] {
  const modes = Object.keys(results) as Membership[];
  const cell = (mode: Membership, key: string) => results[mode]![key].toLocaleString('en-US');
  return [
    `| | ${modes.map((m) => MODE_HEADERS[m]).join(' | ')} |`,
    `|---|${modes.map(() => '---:').join('|')}|`,
    ...rows.map(([label, key]) => `| ${label} | ${modes.map((m) => cell(m, key)).join(' | ')} |`),
  ];
}

const ratio = (value: number, reference: number) =>
  reference === 0 ? 'n/a' : `${(value / reference).toPrecision(2)}×`;

function restartReport(results: Record<'static' | 'dynamic', Results>): string {
  return [
    `# Rolling restart — ${new Date().toISOString()}`,
    '',
    `Machine: ${machineDescription()}. ${MEMBERS} consumer processes, ${PARTITIONS} partitions, ${RATE} records/s, each process`,
    'stopped with SIGTERM and started again, one after the other, 5 s apart.',
    '',
    ...table(results, [
      ['rebalances (broker generations during the restart)', 'rebalances'],
      ['partition-seconds without an owner', 'unownedPartitionSeconds'],
      ['highest lag (records)', 'maxLag'],
      ['records redelivered', 'redelivered'],
      ['records lost', 'lost'],
      ['records produced', 'produced'],
      ['restart phase (s)', 'restartSeconds'],
    ]),
    '',
  ].join('\n');
}

function scaleDownReport(results: Record<Membership, Results>): string {
  const against = (key: string) =>
    `${ratio(results['static-leave'][key], results.static[key])} leaving on shutdown, ` +
    `${ratio(results.dynamic[key], results.static[key])} dynamic`;
  return [
    `# Scale-down 3 → 2 — ${new Date().toISOString()}`,
    '',
    `Machine: ${machineDescription()}. ${MEMBERS} consumer processes, ${PARTITIONS} partitions, ${RATE} records/s, session`,
    `timeout 20 s. Once the group had settled (every partition owned, no rebalance for 5 s), pod-${MEMBERS - 1}, the`,
    'highest ordinal, got SIGTERM and was not started again.',
    '',
    ...table(results, [
      ['partition-seconds without an owner', 'unownedPartitionSeconds'],
      ['SIGTERM → every partition owned again (s)', 'ownedAgainSeconds'],
      ['highest lag (records)', 'maxLag'],
      ['rebalances (broker generations)', 'rebalances'],
      ['records handled more than once', 'redelivered'],
      ['records produced and never handled', 'lost'],
      ['records produced', 'produced'],
    ]),
    '',
    `Against static membership without leaving (the reference): partition-seconds without an owner ${against('unownedPartitionSeconds')};`,
    `time until every partition was owned again ${against('ownedAgainSeconds')}.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const lost: string[] = [];
  const measure = async (scenario: string, mode: Membership, run: typeof scaleDown) => {
    const results = await run(mode);
    if (results.lost > 0) lost.push(`${scenario} ${mode}: ${results.lost} records never handled`);
    return results;
  };
  if (SCENARIOS.includes('restart')) {
    const results = {
      static: await measure('restart', 'static', rollingRestart),
      dynamic: await measure('restart', 'dynamic', rollingRestart),
    };
    writeReport('rolling-restart.md', restartReport(results));
  }
  if (SCENARIOS.includes('scale-down')) {
    const results = {
      static: await measure('scale-down', 'static', scaleDown),
      'static-leave': await measure('scale-down', 'static-leave', scaleDown),
      dynamic: await measure('scale-down', 'dynamic', scaleDown),
    };
    writeReport('scale-down.md', scaleDownReport(results));
  }
  if (lost.length > 0) {
    console.error(`records were lost:\n${lost.join('\n')}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
