// Benchmark for issue 19: the telemetry app as deployed (`node apps/telemetry/dist/main.js`, its
// default settings) draining one backlog, the working tree's build against a pinned build of an
// earlier commit, alternately, in the same run; every figure is a ratio candidate ÷ baseline.
//
//   pnpm bench:app                                   # 1,000,000 readings, 3 rounds, baseline 6950772
//   DRAIN_RECORDS=300000 ROUNDS=2 pnpm bench:app
//   BASELINE_REF=HEAD~3 pnpm bench:app               # the baseline is built once per commit, then reused
//
// Parameters: bench/app-drain/app-drain.config.ts. Report and figures: bench/results/<date>/app-drain.*
// (BENCH_RESULTS_DIR overrides the folder).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appDrainConfigFromEnv, commandLine } from './app-drain/app-drain.config';
import { renderAppDrainReport } from './app-drain/app-drain.report';
import { runAppDrainBench } from './app-drain/app-drain.runner';
import { resultsDir, writeReport } from './report';

async function main(): Promise<void> {
  const results = await runAppDrainBench(appDrainConfigFromEnv(), commandLine());
  writeFileSync(join(resultsDir(), 'app-drain.json'), JSON.stringify(results, null, 2));
  writeReport('app-drain.md', renderAppDrainReport(results));
  if (results.failure) {
    console.error(
      `the benchmark stopped early; the report holds the runs that finished:\n${results.failure}`,
    );
    process.exitCode = 1;
  } else if (results.summary?.incompleteRuns) {
    console.error(`${results.summary.incompleteRuns} run(s) did not store every reading`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
