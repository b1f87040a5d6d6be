import { connect as connectTcp, isIP, Socket } from 'node:net';
import { connect as connectTls, ConnectionOptions } from 'node:tls';
import { WireReader, WireWriter } from './kafka-wire.codec';
import { authenticate, SaslCredentials } from './sasl.authenticator';

export interface BrokerAddress {
  host: string;
  port: number;
}

export interface BrokerSecurity {
  /** TLS to the broker (librdkafka's security.protocol ssl or sasl_ssl). */
  tls?: ConnectionOptions;
  sasl?: SaslCredentials;
}

export interface ConnectionSettings {
  clientId: string;
  security: BrokerSecurity;
  /** Bounds the connect, the authentication and each request. */
  timeoutMs: number;
}

interface Pending {
  resolve: (reader: WireReader) => void;
  reject: (err: Error) => void;
}

/** One connection to one broker: requests with the v1 header, answered in order by correlation id. */
export class BrokerConnection {
  private readonly pending = new Map<number, Pending>();
  private nextCorrelationId = 1;
  private received: Buffer = Buffer.alloc(0);
  private closedBy: Error | undefined;

  private constructor(
    private readonly socket: Socket,
    private readonly address: string,
    private readonly settings: ConnectionSettings,
  ) {
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err) => this.end(new Error(`${address}: ${err.message}`)));
    socket.on('close', () => this.end(new Error(`${address}: connection closed`)));
  }

  /** Connects and, with SASL credentials, authenticates. */
  static async open(address: BrokerAddress, settings: ConnectionSettings): Promise<BrokerConnection> {
    const name = `${address.host}:${address.port}`;
    const { tls } = settings.security;
    const socket = await new Promise<Socket>((resolve, reject) => {
      const timer = setTimeout(() => {
        opening.destroy();
        reject(new Error(`${name}: no connection within ${settings.timeoutMs} ms`));
      }, settings.timeoutMs);
      const ready = () => {
        clearTimeout(timer);
        opening.off('error', failed);
        resolve(opening);
      };
      const failed = (err: Error) => {
        clearTimeout(timer);
        reject(new Error(`${name}: ${err.message}`));
      };
      const opening = tls
        ? connectTls({ ...serverName(address.host), ...tls, host: address.host, port: address.port }, ready)
        : connectTcp({ host: address.host, port: address.port }, ready);
      opening.once('error', failed);
    });
    const connection = new BrokerConnection(socket, name, settings);
    if (settings.security.sasl)
      await authenticate(connection, settings.security.sasl).catch((err: Error) => {
        connection.close();
        throw err;
      });
    return connection;
  }

  request(apiKey: number, version: number, body: WireWriter): Promise<WireReader> {
    if (this.closedBy) return Promise.reject(this.closedBy);
    const correlationId = this.nextCorrelationId++;
    const message = new WireWriter()
      .int16(apiKey)
      .int16(version)
      .int32(correlationId)
      .string(this.settings.clientId)
      .toBuffer();
    const payload = Buffer.concat([message, body.toBuffer()]);
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    return new Promise<WireReader>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(
          new Error(`${this.address}: no answer to request ${apiKey} within ${this.settings.timeoutMs} ms`),
        );
      }, this.settings.timeoutMs);
      this.pending.set(correlationId, {
        resolve: (reader) => {
          clearTimeout(timer);
          resolve(reader);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.socket.write(Buffer.concat([size, payload]));
    });
  }

  close(): void {
    this.end(new Error(`${this.address}: connection closed`));
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    while (this.received.length >= 4) {
      const size = this.received.readInt32BE(0);
      if (this.received.length < 4 + size) return;
      const response = new WireReader(this.received.subarray(4, 4 + size));
      this.received = this.received.subarray(4 + size);
      const correlationId = response.int32();
      const waiting = this.pending.get(correlationId);
      if (!waiting) continue;
      this.pending.delete(correlationId);
      waiting.resolve(response);
    }
  }

  private end(reason: Error): void {
    this.closedBy ??= reason;
    for (const waiting of this.pending.values()) waiting.reject(reason);
    this.pending.clear();
  }
}

/** SNI takes a host name only (RFC 6066); the certificate is checked against an IP address either way. */
function serverName(host: string): { servername?: string } {
  return isIP(host) ? {} : { servername: host };
}
