/**
 * What librdkafka (through @confluentinc/kafka-javascript 1.x) reports when a broker refuses the
 * client's SASL credentials, and a description of it that names the mechanism and the user.
 *
 * librdkafka does not treat a refused login as fatal: it reconnects with backoff for as long as the
 * client lives, and the calls waiting on a connection (connect, listTopics, …) fail only at their
 * timeout with "Broker transport failure", as they do when the broker is down. The reason comes on
 * the side: a 'FAIL' log line per refused connection and an 'event.error' "authentication failure".
 */

/** The 'event.log' payload of the client. */
export interface ClientLogLine {
  fac: string;
  message: string;
}

// rd_kafka_broker_fail()'s messages for ERR__AUTHENTICATION (librdkafka's rdkafka_broker.c,
// rdkafka_request.c, rdkafka_transport.c); the broker's own words follow the colon.
const SASL_FAILURE =
  /(SASL authentication error|SASL authentication failure|SASL \S+ mechanism handshake failed|Failed to initialize SASL authentication): .*/;
// rd_kafka_broker_fail() appends how long the connection was in which state, and how many
// identical lines it suppressed: noise once the line is a description.
const CONNECTION_STATE_SUFFIX = / \(after \d+ms in state [A-Z_]+(, \d+ identical error\(s\) suppressed)?\)$/;

/** librdkafka's reason when the line reports a refused SASL login (without thread, broker and timing); else undefined. */
export function authenticationFailureInLog(line: ClientLogLine): string | undefined {
  if (line.fac !== 'FAIL') return undefined;
  return SASL_FAILURE.exec(line.message)?.[0].replace(CONNECTION_STATE_SUFFIX, '');
}

// RD_KAFKA_RESP_ERR__AUTHENTICATION, which librdkafka also reports for the broker's SASL_AUTHENTICATION_FAILED.
const ERR__AUTHENTICATION = -169;

/**
 * Whether a client error is an authentication failure. The client's 'event.error' carries librdkafka's
 * text only (its code is -1, or missing under Jest; isFatal is never set), so the text decides:
 * "authentication failure" in Node, "Local: Authentication failure" where the client's
 * `instanceof Error` check fails (another realm, as under Jest).
 */
export function isAuthenticationError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (code === ERR__AUTHENTICATION) return true;
  return typeof message === 'string' && /^(local: )?authentication failure$/i.test(message);
}

// Properties whose values must never reach a log or an error message.
const SECRET_PROPERTY = /password|secret|jaas|\.pem$|sasl\.oauthbearer\.config|^ssl_key$/;

/**
 * "authentication failed: SASL SCRAM-SHA-256 as user 'telemetry' (librdkafka's reason)", from
 * the client's configuration. Never the password: the description names the mechanism and the user
 * only, and any secret property's value that occurs in the reason is masked.
 */
export function describeAuthenticationFailure(config: Record<string, unknown>, reason?: string): string {
  const because = reason === undefined ? '' : ` (${maskSecrets(reason, config)})`;
  if (!/^sasl_/i.test(String(config['security.protocol'] ?? ''))) return `authentication failed${because}`;
  // GSSAPI is librdkafka's default mechanism.
  const mechanism = String(config['sasl.mechanisms'] ?? config['sasl.mechanism'] ?? 'GSSAPI');
  const username = config['sasl.username'];
  const user = username === undefined ? '' : ` as user '${String(username)}'`;
  return `authentication failed: SASL ${mechanism}${user}${because}`;
}

function maskSecrets(text: string, config: Record<string, unknown>): string {
  return Object.entries(config)
    .filter(([name, value]) => SECRET_PROPERTY.test(name) && typeof value === 'string' && value !== '')
    .reduce((masked, [, secret]) => masked.split(secret as string).join('***'), text);
}
