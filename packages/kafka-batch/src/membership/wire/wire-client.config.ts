import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { LibrdkafkaConfig } from '../../interfaces/batch-listener-options.interface';
import type { BrokerAddress, BrokerSecurity, ConnectionSettings } from './broker.connection';
import { SASL_MECHANISMS, SaslMechanism } from './sasl.authenticator';

const SECURITY_PROTOCOLS = ['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'];

export interface WireClientConfig {
  bootstrap: BrokerAddress[];
  settings: ConnectionSettings;
}

/**
 * The library's own broker requests connect as its librdkafka clients do: the same bootstrap
 * servers, client id, TLS files and SASL credentials. Throws, naming the property, for what they
 * cannot do (GSSAPI and OAUTHBEARER, an unreadable certificate).
 */
export function wireClientConfig(config: LibrdkafkaConfig, timeoutMs: number): WireClientConfig {
  const protocol = String(config['security.protocol'] ?? 'plaintext').toLowerCase();
  if (!SECURITY_PROTOCOLS.includes(protocol))
    throw new Error(`security.protocol must be one of ${SECURITY_PROTOCOLS.join(', ')} (got "${protocol}")`);
  const security: BrokerSecurity = {};
  if (protocol.endsWith('ssl')) security.tls = tlsOptions(config);
  if (protocol.startsWith('sasl')) {
    // librdkafka's default mechanism is GSSAPI.
    const mechanism = String(config['sasl.mechanisms'] ?? config['sasl.mechanism'] ?? 'GSSAPI').toUpperCase();
    if (!SASL_MECHANISMS.includes(mechanism as SaslMechanism))
      throw new Error(
        `sasl.mechanisms must be one of ${SASL_MECHANISMS.join(', ')} to remove a static member (got "${mechanism}")`,
      );
    security.sasl = {
      mechanism: mechanism as SaslMechanism,
      username: String(config['sasl.username'] ?? ''),
      password: String(config['sasl.password'] ?? ''),
    };
  }
  const servers = String(config['bootstrap.servers'] ?? config['metadata.broker.list'] ?? '');
  return {
    bootstrap: servers
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(brokerAddress),
    settings: { clientId: String(config['client.id'] ?? 'kafka-batch'), security, timeoutMs },
  };
}

/** `host:port`, `[v6]:port` or `proto://host:port`; librdkafka's default port is 9092. */
function brokerAddress(server: string): BrokerAddress {
  const bare = server.replace(/^[a-z_]+:\/\//i, '');
  const match = /^\[(.+)\](?::(\d+))?$/.exec(bare) ?? /^([^:]+)(?::(\d+))?$/.exec(bare);
  if (!match) throw new Error(`bootstrap.servers: cannot read "${server}" as host:port`);
  return { host: match[1], port: match[2] === undefined ? 9092 : Number(match[2]) };
}

function tlsOptions(config: LibrdkafkaConfig): ConnectionOptions {
  const pem = (property: string, locationProperty: string): string | undefined => {
    const inline = config[property];
    if (inline !== undefined) return String(inline);
    const location = config[locationProperty];
    if (location === undefined || location === 'probe') return undefined;
    try {
      return readFileSync(String(location), 'utf8');
    } catch (err) {
      throw new Error(`${locationProperty}: cannot read ${String(location)}: ${(err as Error).message}`);
    }
  };
  const options: ConnectionOptions = {
    ca: pem('ssl.ca.pem', 'ssl.ca.location'),
    cert: pem('ssl.certificate.pem', 'ssl.certificate.location'),
    key: pem('ssl.key.pem', 'ssl.key.location'),
    passphrase: config['ssl.key.password'] === undefined ? undefined : String(config['ssl.key.password']),
  };
  if (String(config['enable.ssl.certificate.verification']) === 'false') options.rejectUnauthorized = false;
  if (String(config['ssl.endpoint.identification.algorithm']).toLowerCase() === 'none')
    options.checkServerIdentity = () => undefined;
  return options;
}
