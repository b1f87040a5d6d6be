import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
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
  /** An SSL listener on a port of its own, its certificate (for localhost) signed by itself. */
  tls?: true;
}

export interface TlsListener {
  bootstrap: string;
  /** The certificate the broker presents, which clients trust as their CA. */
  caLocation: string;
}

/** The librdkafka properties that connect to an SSL listener, verifying its certificate. */
export function tlsClientConfig(listener: TlsListener): Record<string, string> {
  return { 'security.protocol': 'ssl', 'ssl.ca.location': listener.caLocation };
}

/** A key and a self-signed certificate for localhost, as PEM and as the PKCS12 keystore Kafka reads. */
async function selfSignedKeystore(dir: string, password: string): Promise<{ keystore: string; ca: string }> {
  const openssl = (args: string[]) => promisify(execFile)('openssl', args, { cwd: dir });
  await openssl(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'ca.pem'].concat([
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ]),
  );
  await openssl(
    ['pkcs12', '-export', '-in', 'ca.pem', '-inkey', 'key.pem', '-out', 'broker.p12'].concat([
      '-name',
      'kafka',
      '-passout',
      `pass:${password}`,
    ]),
  );
  return { keystore: join(dir, 'broker.p12'), ca: join(dir, 'ca.pem') };
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
    /** The SSL listener when started with `tls`. */
    readonly tls: TlsListener | undefined,
  ) {}

  static async start(options: DedicatedBrokerOptions = {}): Promise<DedicatedBroker> {
    const home = await mkdtemp(join(tmpdir(), 'kafka-batch-broker-'));
    const port = await freePort();
    const saslPort = options.sasl ? await freePort() : undefined;
    const tlsPort = options.tls ? await freePort() : undefined;
    const keystorePassword = 'broker-keystore';
    const keys = options.tls && (await selfSignedKeystore(home, keystorePassword));
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
      KAFKA_SSL_PORT: tlsPort === undefined ? '' : String(tlsPort),
      KAFKA_SSL_KEYSTORE: keys?.keystore ?? '',
      KAFKA_SSL_KEYSTORE_PASSWORD: keys ? keystorePassword : '',
    };
    const sasl = options.sasl && { bootstrap: `localhost:${saslPort}`, users: options.sasl.users };
    const tls = keys && { bootstrap: `localhost:${tlsPort}`, caLocation: keys.ca };
    const broker = new DedicatedBroker(env, home, `localhost:${port}`, sasl, tls);
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
