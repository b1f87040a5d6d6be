import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** The machine a report's numbers came from. */
export function machineDescription(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

/** Where reports go: bench/results/<date>, or BENCH_RESULTS_DIR (tests write to a temporary folder). */
export function resultsDir(): string {
  // Compiled to bench/dist: results go next to the sources, in bench/results.
  const dir =
    process.env.BENCH_RESULTS_DIR || join(__dirname, '../results', new Date().toISOString().slice(0, 10));
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Writes a report to the results folder and prints it. */
export function writeReport(name: string, report: string): void {
  const path = join(resultsDir(), name);
  writeFileSync(path, report);
  console.log(`\n${report}\nwritten to ${path}`);
}
