import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** The machine a report's numbers came from. */
export function machineDescription(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

/** Writes a report to bench/results/<date>/<name> and prints it. */
export function writeReport(name: string, report: string): void {
  // Compiled to bench/dist: results go next to the sources, in bench/results.
  const dir = join(__dirname, '../results', new Date().toISOString().slice(0, 10));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, name), report);
  console.log(`\n${report}\nwritten to ${join(dir, name)}`);
}
