import { startTracing, stopTracing } from '../tracing/tracing.setup';
import { ProgressBar } from './progress.bar';
import { formatSummary, runSimulation } from './simulation.runner';
import { parseSimulatorOptions, SIMULATOR_USAGE, UsageError } from './simulator.options';

async function main(): Promise<void> {
  const options = parseSimulatorOptions(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${SIMULATOR_USAGE}\n`);
    return;
  }
  await startTracing('telemetry-simulator');
  const style = options.progress === 'auto' ? (process.stderr.isTTY ? 'bar' : 'lines') : options.progress;
  // Ctrl-C or SIGTERM ends the run early but still waits for confirmations and prints the summary.
  const abort = new AbortController();
  process.once('SIGINT', () => abort.abort());
  process.once('SIGTERM', () => abort.abort());
  const summary = await runSimulation(options, { signal: abort.signal, progress: new ProgressBar(style) });
  await stopTracing();
  process.stdout.write(options.json ? `${JSON.stringify(summary)}\n` : `${formatSummary(summary)}\n`);
  if (summary.errors > 0) process.exitCode = 1;
}

main().catch((err: Error) => {
  process.stderr.write(
    err instanceof UsageError ? `${err.message}\n\n${SIMULATOR_USAGE}\n` : `${err.stack}\n`,
  );
  process.exit(2);
});
