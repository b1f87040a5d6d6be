import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

// Runs the built app (dist/apps/telemetry, produced by `nest build telemetry` in `pnpm test`) as
// `nest start telemetry` does, against the real broker and database.
describe('telemetry app process', () => {
  const entry = join(__dirname, '../../../dist/apps/telemetry/main.js');

  it('boots, reaches Kafka and PostgreSQL, and stops cleanly on SIGTERM', async () => {
    const app = spawn(process.execPath, [entry], { env: { ...process.env, PORT: '0', NO_COLOR: '1' } });
    let output = '';
    app.stdout.on('data', (chunk) => (output += chunk));
    app.stderr.on('data', (chunk) => (output += chunk));
    const exited = once(app, 'exit');

    const deadline = Date.now() + 30_000;
    while (!output.includes('telemetry listening') && Date.now() < deadline && app.exitCode === null) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(output).toMatch(/Kafka at \S+ answers/);
    expect(output).toMatch(/PostgreSQL answers \(PostgreSQL \d+/);
    expect(output).toContain('telemetry listening');

    app.kill('SIGTERM');
    // Nest closes the application, then re-raises the signal so the process ends as SIGTERM asked.
    const [code, signal] = await exited;
    expect({ code, signal }).toEqual({ code: null, signal: 'SIGTERM' });
  });

  it('refuses to start with an invalid PORT, naming it', async () => {
    const app = spawn(process.execPath, [entry], { env: { ...process.env, PORT: 'eighty', NO_COLOR: '1' } });
    let output = '';
    app.stdout.on('data', (chunk) => (output += chunk));
    app.stderr.on('data', (chunk) => (output += chunk));
    const [code] = await once(app, 'exit');
    expect(code).toBe(1);
    expect(output).toContain('PORT must be an integer in 0..65535 (got "eighty")');
  });
});
