import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { kafkaScript } from './kafka-script';

/** A port nothing listens on at the moment: for a broker of its own, or one that is down. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

/** A SCRAM credential on the broker: the user logs in with this mechanism (list it once per mechanism). */
export interface ScramUser {
  mechanism: ScramMechanism;
  name: string;
  password: string;
}

export interface DedicatedBrokerOptions {
  /** A SASL_PLAINTEXT listener on a port of its own besides the PLAINTEXT one, with these users. */
  sasl?: { users: ScramUser[] };
}

export interface SaslListener {
  bootstrap: string;
  users: ScramUser[];
}

/** The librdkafka properties that authenticate as `user` on a SASL_PLAINTEXT listener. */
export function scramClientConfig(user: ScramUser): Record<string, string> {
  return {
    'security.protocol': 'sasl_plaintext',
    'sasl.mechanisms': user.mechanism,
    'sasl.username': user.name,
    'sasl.password': user.password,
  };
}

/**
 * A broker of its own for a test that stops and restarts it, or needs a listener the shared
 * broker does not have, so the broker other suites use never changes. Same script and jars as
 * the shared one; its own ports and data directory.
 */
export class DedicatedBroker {
  private constructor(
    private readonly env: Record<string, string>,
    private readonly home: string,
    readonly bootstrap: string,
    /** The SASL listener when started with `sasl`; `bootstrap` stays PLAINTEXT, for the harness. */
    readonly sasl: SaslListener | undefined,
  ) {}

  static async start(options: DedicatedBrokerOptions = {}): Promise<DedicatedBroker> {
    const home = await mkdtemp(join(tmpdir(), 'kafka-batch-broker-'));
    const port = await freePort();
    const saslPort = options.sasl ? await freePort() : undefined;
    const env = {
      KAFKA_HOME: home,
      KAFKA_LIB: process.env.KAFKA_LIB ?? resolve(__dirname, '../../../.kafka/lib'),
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_HEAP_OPTS: '-Xms128m -Xmx512m',
      // Set even when empty: a SASL listener configured in the caller's environment is not this broker's.
      KAFKA_SASL_PORT: saslPort === undefined ? '' : String(saslPort),
      KAFKA_SASL_USERS: (options.sasl?.users ?? [])
        .map(({ mechanism, name, password }) => `${mechanism}:${name}:${password}`)
        .join(' '),
    };
    const sasl = options.sasl && { bootstrap: `localhost:${saslPort}`, users: options.sasl.users };
    const broker = new DedicatedBroker(env, home, `localhost:${port}`, sasl);
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
