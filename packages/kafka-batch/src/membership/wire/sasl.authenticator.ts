import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { WireReader, WireWriter } from './kafka-wire.codec';

/** What authentication needs of a connection. */
export interface WireRequester {
  request(apiKey: number, version: number, body: WireWriter): Promise<WireReader>;
}

export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
export const SASL_MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

export interface SaslCredentials {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

const derive = promisify(pbkdf2);
const SASL_HANDSHAKE = { apiKey: 17, version: 1 };
const SASL_AUTHENTICATE = { apiKey: 36, version: 1 };

/** SaslHandshake, then the mechanism's exchange through SaslAuthenticate. */
export async function authenticate(
  connection: WireRequester,
  credentials: SaslCredentials,
  clientNonce = randomBytes(24).toString('base64'),
): Promise<void> {
  const handshake = await connection.request(
    SASL_HANDSHAKE.apiKey,
    SASL_HANDSHAKE.version,
    new WireWriter().string(credentials.mechanism),
  );
  const code = handshake.int16();
  const enabled = handshake.array((r) => r.string());
  if (code !== 0)
    throw new Error(
      `the broker does not take SASL mechanism ${credentials.mechanism} (error ${code}; it takes ${enabled.join(', ')})`,
    );
  const send = async (message: Buffer): Promise<Buffer> => {
    const answer = await connection.request(
      SASL_AUTHENTICATE.apiKey,
      SASL_AUTHENTICATE.version,
      new WireWriter().bytes(message),
    );
    const error = answer.int16();
    const errorMessage = answer.string();
    if (error !== 0)
      throw new Error(
        `SASL ${credentials.mechanism} authentication as "${credentials.username}" failed: ${errorMessage ?? `error ${error}`}`,
      );
    return answer.bytes() ?? Buffer.alloc(0);
  };
  if (credentials.mechanism === 'PLAIN')
    await send(Buffer.from(`\0${credentials.username}\0${credentials.password}`, 'utf8'));
  else await scram(credentials, clientNonce, send);
}

/** RFC 5802, as Kafka runs it: no channel binding, the server's signature checked. */
async function scram(
  credentials: SaslCredentials,
  clientNonce: string,
  send: (message: Buffer) => Promise<Buffer>,
): Promise<void> {
  const hash = credentials.mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
  const clientFirstBare = `n=${escapeName(credentials.username)},r=${clientNonce}`;
  const serverFirst = (await send(Buffer.from(`n,,${clientFirstBare}`))).toString('utf8');
  const fields = attributes(serverFirst);
  const nonce = fields.get('r') ?? '';
  if (!nonce.startsWith(clientNonce))
    throw new Error('SCRAM: the server nonce does not extend the client nonce');
  const salt = Buffer.from(fields.get('s') ?? '', 'base64');
  const iterations = Number(fields.get('i'));
  const saltedPassword = await derive(credentials.password, salt, iterations, hashLength(hash), hash);
  const clientKey = hmac(hash, saltedPassword, 'Client Key');
  const storedKey = createHash(hash).update(clientKey).digest();
  const clientFinalWithoutProof = `c=biws,r=${nonce}`;
  const authMessage = `${clientFirstBare},${serverFirst},${clientFinalWithoutProof}`;
  const signature = hmac(hash, storedKey, authMessage);
  const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]));
  const serverFinal = attributes(
    (await send(Buffer.from(`${clientFinalWithoutProof},p=${proof.toString('base64')}`))).toString('utf8'),
  );
  const expected = hmac(hash, hmac(hash, saltedPassword, 'Server Key'), authMessage).toString('base64');
  if (serverFinal.get('v') !== expected)
    throw new Error(
      `SCRAM: the server's signature is wrong${serverFinal.has('e') ? `: ${serverFinal.get('e')}` : ''}`,
    );
}

function attributes(message: string): Map<string, string> {
  return new Map(message.split(',').map((part) => [part.slice(0, 1), part.slice(2)] as [string, string]));
}

function escapeName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function hmac(hash: string, key: Buffer, message: string): Buffer {
  return createHmac(hash, key).update(message).digest();
}

function hashLength(hash: string): number {
  return hash === 'sha256' ? 32 : 64;
}
