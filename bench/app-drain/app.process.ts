import { kafkaBootstrap } from '@org/testing';
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { readUsage, UsageSample } from '../e2e/process.usage';
import type { AppBuild } from './app.build';

/** What a run sets; everything else is the app's default. */
export interface AppSettings {
  topic: string;
  groupId: string;
  databaseUrl: string;
}

export interface AppExit {
  /** From SIGTERM to the process gone. */
  seconds: number;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The app's own shutdown timeout (SHUTDOWN_TIMEOUT_MS) is 20 s; SIGKILL only after it. */
const KILL_AFTER_MS = 30_000;
const OUTPUT_TAIL_CHARS = 8_000;

/**
 * The telemetry app, `node <build>/apps/telemetry/dist/main.js` as in production, with its
 * default settings: it gets the broker, topic, group and database, an ephemeral HTTP port, and
 * nothing else from the benchmark's environment (no TELEMETRY_* or NODE_OPTIONS leaks in).
 */
export class TelemetryAppProcess {
  readonly startedAt = Date.now();
  private readonly child: ChildProcess;
  private readonly exited: Promise<unknown>;
  private output = '';

  constructor(build: AppBuild, settings: AppSettings, nodeArgs: readonly string[]) {
    this.child = spawn(process.execPath, [...nodeArgs, build.mainJs], {
      cwd: build.root,
      env: {
        PATH: process.env.PATH,
        KAFKA_BOOTSTRAP: kafkaBootstrap(),
        TELEMETRY_TOPIC: settings.topic,
        TELEMETRY_GROUP_ID: settings.groupId,
        DATABASE_URL: settings.databaseUrl,
        PORT: '0',
        NO_COLOR: '1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = once(this.child, 'exit').catch(() => undefined); // a failed spawn: `running` says so
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.on('data', (chunk: Buffer) => (this.output = (this.output + chunk).slice(-OUTPUT_TAIL_CHARS)));
    }
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The last lines the app logged, for an error message. */
  get outputTail(): string {
    return this.output;
  }

  /** CPU time of all its threads so far, and its resident memory now. */
  usage(): UsageSample | undefined {
    return this.child.pid === undefined ? undefined : readUsage(this.child.pid);
  }

  /** The most resident memory the process has had since it started (the kernel's VmHWM). */
  peakRssBytes(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1];
      return kilobytes === undefined ? undefined : Number(kilobytes) * 1024;
    } catch {
      return undefined;
    }
  }

  /** SIGTERM, as an orchestrator stops a pod; SIGKILL if it is still there after its shutdown timeout. */
  async stop(): Promise<AppExit> {
    const started = Date.now();
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), KILL_AFTER_MS);
      await this.exited;
      clearTimeout(timer);
    }
    return {
      seconds: (Date.now() - started) / 1000,
      code: this.child.exitCode,
      signal: this.child.signalCode,
    };
  }
}
