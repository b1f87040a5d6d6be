import type { KafkaOptions } from '@nestjs/microservices';
import type { LibrdkafkaConfig } from '../interfaces/batch-listener-options.interface';
import { TranslationProblems } from './translation.problems';

type KafkaJsClientConfig = NonNullable<NonNullable<KafkaOptions['options']>['client']>;
type KafkaJsRetry = NonNullable<KafkaJsClientConfig['retry']>;

/** KafkaJS's log levels (NOTHING, ERROR, WARN, INFO, DEBUG) as syslog levels for librdkafka. */
const LOG_LEVELS: Readonly<Record<number, number>> = { 0: 0, 1: 3, 2: 4, 4: 6, 5: 7 };

const SASL_MECHANISMS: Readonly<Record<string, string>> = {
  plain: 'PLAIN',
  'scram-sha-256': 'SCRAM-SHA-256',
  'scram-sha-512': 'SCRAM-SHA-512',
};

/** Node TLS options with a librdkafka property, and how the value is written there. */
const TLS_PROPERTIES: Readonly<Record<string, { property: string; pem?: boolean }>> = {
  ca: { property: 'ssl.ca.pem', pem: true },
  cert: { property: 'ssl.certificate.pem', pem: true },
  key: { property: 'ssl.key.pem', pem: true },
  passphrase: { property: 'ssl.key.password' },
  ciphers: { property: 'ssl.cipher.suites' },
};

/**
 * The KafkaJS `client` settings of a `Transport.KAFKA` microservice as librdkafka properties,
 * for every client the transport makes (consumer, dead-letter producer, lag monitor's admin).
 */
export function translateClient(
  client: KafkaJsClientConfig | undefined,
  problems: TranslationProblems,
): { brokers: string[]; rdkafka: LibrdkafkaConfig } {
  const rdkafka: LibrdkafkaConfig = {};
  // ServerKafka's fallback when no brokers are given.
  const {
    brokers = ['localhost:9092'],
    ssl,
    sasl,
    retry,
    connectionTimeout,
    authenticationTimeout,
    ...rest
  } = client ?? {};
  if (typeof brokers === 'function')
    problems.add('client.brokers', 'a function has no librdkafka equivalent: give the list of host:port');
  const tls = ssl ? translateTls(ssl, problems) : {};
  const secured = sasl ? translateSasl(sasl, problems) : {};
  const protocol = sasl ? (ssl ? 'sasl_ssl' : 'sasl_plaintext') : ssl ? 'ssl' : undefined;
  Object.assign(rdkafka, protocol && { 'security.protocol': protocol }, tls, secured);
  Object.assign(rdkafka, translateRetry(retry, 'client.retry', problems));
  if (connectionTimeout !== undefined || authenticationTimeout !== undefined)
    // librdkafka's setup timeout covers the TCP connection and the TLS and SASL handshakes, which
    // KafkaJS times apart (1 s and 10 s by default); librdkafka's least is 1 s.
    rdkafka['socket.connection.setup.timeout.ms'] = Math.max(
      1_000,
      (connectionTimeout ?? 1_000) + (authenticationTimeout ?? 10_000),
    );
  for (const [name, value] of Object.entries(rest)) {
    if (value === undefined || name === 'clientId') continue;
    const path = `client.${name}`;
    switch (name) {
      case 'requestTimeout':
        rdkafka['socket.timeout.ms'] = Number(value);
        break;
      case 'enforceRequestTimeout':
        if (value !== true) problems.add(path, 'librdkafka always enforces socket.timeout.ms; remove it');
        break;
      case 'logLevel':
        if (LOG_LEVELS[value as number] === undefined)
          problems.add(path, 'allowed: logLevel.NOTHING, ERROR, WARN, INFO, DEBUG');
        else rdkafka.log_level = LOG_LEVELS[value as number];
        break;
      case 'logCreator':
        problems.add(
          path,
          "the transport logs through Nest's Logger; remove it (logLevel sets librdkafka's level)",
        );
        break;
      default:
        problems.add(path, 'has no librdkafka equivalent; remove it');
    }
  }
  return { brokers: Array.isArray(brokers) ? brokers : [], rdkafka };
}

/** KafkaJS's retry defaults, for the bound a retry setting leaves out. */
const KAFKAJS_RETRY = { initialRetryTime: 300, maxRetryTime: 30_000 };
/** librdkafka's range of both backoff properties. */
const BACKOFF_RANGE = [1, 300_000] as const;

/** KafkaJS retries connections and requests; librdkafka only lets the backoff be bounded. */
export function translateRetry(
  retry: KafkaJsRetry | undefined,
  path: string,
  problems: TranslationProblems,
): LibrdkafkaConfig {
  const { initialRetryTime, maxRetryTime, ...rest } = retry ?? {};
  const rdkafka: LibrdkafkaConfig = {};
  if (initialRetryTime !== undefined || maxRetryTime !== undefined) {
    const bounds = { ...KAFKAJS_RETRY, ...(retry as typeof KAFKAJS_RETRY) };
    for (const [name, value] of Object.entries(bounds))
      if (!Number.isInteger(value) || value < BACKOFF_RANGE[0] || value > BACKOFF_RANGE[1])
        problems.add(
          `${path}.${name}`,
          `must be an integer of milliseconds in ${BACKOFF_RANGE.join('..')} (librdkafka's range)`,
        );
    rdkafka['retry.backoff.ms'] = bounds.initialRetryTime;
    rdkafka['retry.backoff.max.ms'] = Math.max(bounds.initialRetryTime, bounds.maxRetryTime);
  }
  for (const [name, value] of Object.entries(rest)) {
    if (value === undefined) continue;
    else
      problems.add(
        `${path}.${name}`,
        'librdkafka reconnects and retries without a count or factor (only initialRetryTime and maxRetryTime translate); handler failures follow the retry setting of the transport',
      );
  }
  return rdkafka;
}

function translateTls(
  ssl: NonNullable<KafkaJsClientConfig['ssl']>,
  problems: TranslationProblems,
): LibrdkafkaConfig {
  const rdkafka: LibrdkafkaConfig = {};
  if (ssl === true) return rdkafka;
  for (const [name, value] of Object.entries(ssl)) {
    if (value === undefined) continue;
    const target = TLS_PROPERTIES[name];
    if (target?.pem && !isPem(value))
      problems.add(
        `client.ssl.${name}`,
        'must be a PEM string, a Buffer or a list of them (key objects have no librdkafka equivalent)',
      );
    else if (target) rdkafka[target.property] = target.pem ? pem(value) : String(value);
    else if (name === 'rejectUnauthorized') {
      if (value === false) {
        // Node's flag turns off both checks; librdkafka has one property for each.
        rdkafka['enable.ssl.certificate.verification'] = false;
        rdkafka['ssl.endpoint.identification.algorithm'] = 'none';
      }
    } else
      problems.add(
        `client.ssl.${name}`,
        `has no librdkafka equivalent (translated: ${[...Object.keys(TLS_PROPERTIES), 'rejectUnauthorized'].join(', ')}); set librdkafka's ssl.* properties through the "rdkafka" setting instead`,
      );
  }
  return rdkafka;
}

function translateSasl(
  sasl: NonNullable<KafkaJsClientConfig['sasl']>,
  problems: TranslationProblems,
): LibrdkafkaConfig {
  const mechanism = SASL_MECHANISMS[String(sasl.mechanism).toLowerCase()];
  if (!mechanism) {
    problems.add(
      'client.sasl.mechanism',
      `'${String(sasl.mechanism)}' has no librdkafka equivalent here (allowed: ${Object.keys(SASL_MECHANISMS)
        .map((m) => `'${m}'`)
        .join(
          ', ',
        )}); for OAUTHBEARER or GSSAPI set librdkafka's sasl.* properties through the "rdkafka" setting`,
    );
    return {};
  }
  const { username, password } = sasl as { username?: string; password?: string };
  if (typeof username !== 'string' || typeof password !== 'string') {
    problems.add('client.sasl', `mechanism '${String(sasl.mechanism)}' needs a username and a password`);
    return {};
  }
  return { 'sasl.mechanisms': mechanism, 'sasl.username': username, 'sasl.password': password };
}

function isPem(value: unknown): boolean {
  return (Array.isArray(value) ? value : [value]).every(
    (part) => typeof part === 'string' || Buffer.isBuffer(part),
  );
}

/** Node accepts a PEM string, a Buffer or a list of either; librdkafka one PEM string. */
function pem(value: unknown): string {
  const parts = Array.isArray(value) ? value : [value];
  return parts
    .map((part) => (Buffer.isBuffer(part) ? part.toString('utf8') : String(part)).trim())
    .join('\n');
}
