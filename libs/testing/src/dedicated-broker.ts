import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kafkaScript } from './kafka-script';

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/**
 * A broker of its own for a test that stops and restarts it, so the shared broker other suites
 * use never goes down. Same script and jars as the shared one; its own ports and data directory.
 */
export class DedicatedBroker {
  private constructor(
    private readonly env: Record<string, string>,
    private readonly home: string,
    readonly bootstrap: string,
  ) {}

  static async start(): Promise<DedicatedBroker> {
    const home = await mkdtemp(join(tmpdir(), 'kafka-batch-broker-'));
    const port = await freePort();
    const env = {
      KAFKA_HOME: home,
      KAFKA_LIB: process.env.KAFKA_LIB ?? resolve(__dirname, '../../../.kafka/lib'),
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_HEAP_OPTS: '-Xms128m -Xmx512m',
    };
    const broker = new DedicatedBroker(env, home, `localhost:${port}`);
    await broker.resume();
    return broker;
  }

  /** Stops the broker (SIGTERM, as an operator would); its data stays for `resume`. */
  async pause(): Promise<void> {
    await kafkaScript(['stop'], this.env);
  }

  async resume(): Promise<void> {
    await kafkaScript(['start'], this.env);
  }

  async destroy(): Promise<void> {
    await this.pause();
    await rm(this.home, { recursive: true, force: true });
  }
}
