import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { captureChildOutput } from '@org/testing';

/** The built service (`nest build telemetry`), run as `node main.js` the way a container runs it. */
export const TELEMETRY_MAIN = join(__dirname, '../dist/main.js');

export interface TelemetryProcess {
  child: ChildProcessWithoutNullStreams;
  output(): string;
  /** Resolves with the HTTP port once the service listens; rejects if it exits first. */
  listening(timeoutMs?: number): Promise<number>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  url(path: string): string;
}

const running = new Set<ChildProcessWithoutNullStreams>();

/**
 * Kills what a test started and did not stop (it failed before its SIGTERM): a service left
 * running would keep Jest from exiting. Registered after every test by the specs that start one.
 */
export function killLeftoverTelemetry(): void {
  for (const child of running) child.kill('SIGKILL');
}

export function startTelemetry(env: Record<string, string>): TelemetryProcess {
  const child = spawn(process.execPath, [TELEMETRY_MAIN], {
    env: { ...process.env, PORT: '0', NO_COLOR: '1', ...env },
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  captureChildOutput(child, 'telemetry');
  let output = '';
  let port: number | undefined;
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return {
    child,
    output: () => output,
    exited,
    url: (path) => `http://127.0.0.1:${port}${path}`,
    async listening(timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
        const match = /telemetry listening on :(\d+)/.exec(output);
        if (match) return (port = Number(match[1]));
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(`the service did not start listening:\n${output}`);
    },
  };
}
