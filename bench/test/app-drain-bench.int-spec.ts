// `pnpm bench:app` on a tiny backlog, so that the harness never rots: both builds start, drain
// the backlog and store every reading, each run is measured from /proc, and the report and its
// JSON are written. The baseline is the candidate's own build (BASELINE_DIST), so nothing is built
// here (about 15 s); the compiled harness comes from `pnpm test` / `pnpm bench:build`.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureChildOutput } from '@org/testing';
import type { AppDrainResults } from '../app-drain/app-drain.runner';

const HARNESS = join(__dirname, '../dist/app-drain.bench.js');
const CANDIDATE_DIST = join(__dirname, '../../apps/telemetry/dist');
const RECORDS = 3_000;

describe('pnpm bench:app on a tiny backlog', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-app-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drains the backlog with both builds, measures each process, and writes the report', async () => {
    expect(existsSync(HARNESS)).toBe(true);
    const harness = spawn(process.execPath, [HARNESS], {
      env: {
        ...process.env,
        DRAIN_RECORDS: String(RECORDS),
        ROUNDS: '1',
        BASELINE_DIST: CANDIDATE_DIST,
        BENCH_RESULTS_DIR: dir,
      },
      timeout: 90_000,
    });
    captureChildOutput(harness, 'bench:app');
    const [code, signal] = await once(harness, 'close');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const results = JSON.parse(readFileSync(join(dir, 'app-drain.json'), 'utf8')) as AppDrainResults;

    expect(results.failure).toBeUndefined();
    expect(results.backlog?.records).toBe(RECORDS);
    expect(results.runs.map((run) => [run.round, run.role, run.order])).toEqual([
      [1, 'baseline', 1],
      [1, 'candidate', 2],
    ]);
    for (const run of results.runs) {
      expect(run).toMatchObject({ records: RECORDS, rows: RECORDS });
      expect(run.secondsToFirstStored).toBeGreaterThan(0);
      expect(run.secondsToLagZero).toBeGreaterThanOrEqual(run.secondsToFirstStored);
      expect(run.cpuSeconds).toBeGreaterThan(run.startupCpuSeconds);
      expect(run.peakRssBytes).toBeGreaterThan(32 * 2 ** 20);
      // Stopped by SIGTERM: Nest closes the app, then ends the process with the same signal.
      expect(String(run.exit.signal ?? run.exit.code)).toMatch(/^(SIGTERM|0)$/);
    }
    expect(results.summary?.incompleteRuns).toBe(0);
    expect(results.summary?.ratios.cpuSecondsPerMillionReadings).toBeGreaterThan(0);
    expect(results.machine.nproc).toBeGreaterThan(0);

    const report = readFileSync(join(dir, 'app-drain.md'), 'utf8');
    expect(report).toContain(`DRAIN_RECORDS=${RECORDS} ROUNDS=1`);
    expect(report).toContain('| measure | baseline | candidate | candidate ÷ baseline |');
    expect(report).toContain('Every run stored exactly the records produced.');
  });
});
