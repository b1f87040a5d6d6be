// The end-to-end benchmark on tiny inputs, so that the harness never rots: every consumer under
// test starts and stores the backlog, the report and its PNG charts are written, and the counts
// add up. Runs the compiled harness (`pnpm test` builds bench/dist), writing to a temporary folder.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureChildOutput } from '@org/testing';
import { PNG } from 'pngjs';
import type { E2eResults } from '../e2e/e2e.runner';

const HARNESS = join(__dirname, '../dist/e2e.bench.js');
const RECORDS = 3_000;
const TINY = {
  DRAIN_RECORDS: String(RECORDS),
  NAIVE_SECONDS: '3',
  BATCH_SIZES: '500',
  CONCURRENCIES: '2',
  SCALE_PROCESSES: '1,2',
  STEADY_RATE: '1000',
  STEADY_MULTIPLIERS: '1',
  STEADY_SECONDS: '3',
  STEADY_WARMUP_SECONDS: '2',
  NAIVE_STEADY_SECONDS: '0',
  SEARCH_STEPS: '0',
  SAMPLE_MS: '250',
  CONSUMER_NODE_ARGS: '--max-semi-space-size=16',
};

describe('pnpm bench:e2e on tiny inputs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores every record, and writes the report with its charts', async () => {
    expect(existsSync(HARNESS)).toBe(true); // built by `pnpm test` / `pnpm bench:build`
    const harness = spawn(process.execPath, [HARNESS], {
      env: { ...process.env, ...TINY, BENCH_RESULTS_DIR: dir },
      timeout: 100_000,
    });
    captureChildOutput(harness, 'bench:e2e');
    const [code, signal] = await once(harness, 'close');
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    const results = JSON.parse(readFileSync(join(dir, 'e2e.json'), 'utf8')) as E2eResults;

    expect(results.backlog.records).toBe(RECORDS);
    const byKind = (kind: string) => results.drains.filter((drain) => drain.variant.kind === kind);
    // Every consumer under test drained the backlog at least once, so the checks below see each.
    expect(new Set(results.drains.map((drain) => drain.variant.kind))).toEqual(
      new Set([
        'bare-loop',
        'naive-per-message',
        'naive-per-message-transport',
        'naive-buffered',
        'batch-listener',
      ]),
    );
    for (const drain of [...byKind('batch-listener'), ...byKind('naive-buffered')]) {
      expect(drain).toMatchObject({ complete: true, records: RECORDS, rows: RECORDS });
    }
    expect(byKind('bare-loop')[0]).toMatchObject({ complete: true, records: RECORDS });
    // The naive baseline is time-capped: whatever it did is in the table, nothing more.
    for (const naive of [...byKind('naive-per-message'), ...byKind('naive-per-message-transport')]) {
      expect(naive.records).toBeGreaterThan(0);
      expect(naive.rows).toBeGreaterThanOrEqual(naive.records);
    }
    expect(results.scale.map((drain) => drain.variant.processes)).toEqual([1, 2]);
    expect(results.copy?.readings).toBe(RECORDS);
    for (const drain of results.drains) {
      expect(drain.recordsPerSecond).toBeGreaterThan(0);
      expect(drain.secondsToLagZero).toBeGreaterThan(0);
    }
    const [steady] = results.steady;
    expect(steady.producedRate).toBeGreaterThan(0);
    expect(steady.caughtUp).toBe(true);
    expect(steady.p99Ms).toBeGreaterThan(0);
    // Lag sampled in the warm-up and in the measured window alike: the load reached both.
    expect(steady.warmupMaxPartitionLag).toBeGreaterThanOrEqual(0);
    expect(steady.maxPartitionLagAt).toBeGreaterThanOrEqual(0);

    const report = readFileSync(join(dir, 'e2e.md'), 'utf8');
    expect(report).toContain('a warm-up of 2 s at its rate');
    expect(report).toContain('Node flags of the consumers: `--max-semi-space-size=16`');
    const charts = [...report.matchAll(/!\[[^\]]*\]\(([^)]+\.png)\)/g)].map((match) => match[1]);
    expect(charts).toHaveLength(5);
    for (const chart of charts) {
      const image = PNG.sync.read(readFileSync(join(dir, chart)));
      expect(image.width).toBeGreaterThan(0);
    }
  });
});
