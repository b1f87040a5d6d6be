// Benchmark for issue 8: end to end, Kafka → validation → PostgreSQL, the naive NestJS consumer,
// its hand-batched tweak and @org/kafka-batch with the telemetry app's handler, against a bare
// librdkafka loop and COPY, on one broker, one database and the same readings, in one run.
//
//   pnpm bench:e2e                                  # the full run (about half an hour)
//   DRAIN_RECORDS=300000 STEADY_SECONDS=60 pnpm bench:e2e
//
// Sizes and durations: bench/e2e/e2e.config.ts. Report, charts and the figures as JSON:
// bench/results/<date>/e2e.* (BENCH_RESULTS_DIR overrides the folder).
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { e2eConfigFromEnv } from './e2e/e2e.config';
import { writeCharts } from './e2e/e2e.charts';
import { renderE2eReport } from './e2e/e2e.report';
import { runE2e } from './e2e/e2e.runner';
import { machineDescription, resultsDir, writeReport } from './report';

const SERIES = ['lag', 'partitionLag', 'throughput'];

async function main(): Promise<void> {
  const results = await runE2e(e2eConfigFromEnv());
  const dir = resultsDir();
  const charts = writeCharts(results, dir);
  // The figures without the time series, for comparing runs and for the harness's own test.
  const figures = JSON.stringify(results, (key, value) => (SERIES.includes(key) ? undefined : value), 2);
  writeFileSync(join(dir, 'e2e.json'), figures);
  writeReport('e2e.md', renderE2eReport(results, charts, machineDescription()));
  if (results.failure) {
    console.error(`the run stopped early; the report holds the phases that finished:\n${results.failure}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
