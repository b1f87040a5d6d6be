import {
  authenticationFailureInLog,
  describeAuthenticationFailure,
  isAuthenticationError,
} from './authentication.failure';

// Lines and errors as @confluentinc/kafka-javascript 1.10.1 (librdkafka 2.x) reported them against
// a Kafka 4.3 SASL_PLAINTEXT listener with SCRAM users (admin client, producer and KafkaConsumer alike).
const bootstrapThread =
  '[thrd:sasl_plaintext://localhost:29094/bootstrap]: sasl_plaintext://localhost:29094/bootstrap: ';
const invalidCredentials256 =
  'SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-256';

describe('authenticationFailureInLog', () => {
  it.each([
    [
      'a wrong password or an unknown user',
      `${bootstrapThread}${invalidCredentials256} (after 310ms in state AUTH_REQ)`,
      invalidCredentials256,
    ],
    [
      'a repeated refusal',
      `${bootstrapThread}${invalidCredentials256} (after 309ms in state AUTH_REQ, 1 identical error(s) suppressed)`,
      invalidCredentials256,
    ],
    [
      "the group coordinator's connection",
      `[thrd:GroupCoordinator]: GroupCoordinator: localhost:29094: ${invalidCredentials256} (after 307ms in state AUTH_REQ)`,
      invalidCredentials256,
    ],
    [
      'a user without credentials for the mechanism',
      `${bootstrapThread}SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512 (after 349ms in state AUTH_REQ)`,
      'SASL authentication error: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
    ],
    [
      'a mechanism the broker does not enable',
      `${bootstrapThread}SASL PLAIN mechanism handshake failed: Broker: Unsupported SASL mechanism: broker's supported mechanisms: SCRAM-SHA-512,SCRAM-SHA-256 (after 346ms in state AUTH_HANDSHAKE)`,
      "SASL PLAIN mechanism handshake failed: Broker: Unsupported SASL mechanism: broker's supported mechanisms: SCRAM-SHA-512,SCRAM-SHA-256",
    ],
  ])("returns librdkafka's reason for %s", (_what, message, reason) => {
    expect(authenticationFailureInLog({ fac: 'FAIL', message })).toBe(reason);
  });

  it.each([
    [
      'a broker that is down',
      'FAIL',
      '[thrd:sasl_plaintext://localhost:29099/bootstrap]: sasl_plaintext://localhost:29099/bootstrap: Connect to ipv4#127.0.0.1:29099 failed: Connection refused (after 0ms in state CONNECT)',
    ],
    [
      'a broker that restarts',
      'FAIL',
      '[thrd:sasl_plaintext://localhost:29094/1]: sasl_plaintext://localhost:29094/1: Disconnected: connection closed by peer: receive 0 after POLLIN (after 9908ms in state UP)',
    ],
    [
      'a session timeout',
      'SESSTMOUT',
      '[thrd:main]: Consumer group session timed out (in join-state steady) after 45045 ms without a successful response from the group coordinator (broker 1, last error was Success): revoking assignment and rejoining group',
    ],
    ['the reason quoted by another facility', 'SASLMECHS', invalidCredentials256],
  ])('returns nothing for %s', (_what, fac, message) => {
    expect(authenticationFailureInLog({ fac, message })).toBeUndefined();
  });
});

describe('isAuthenticationError', () => {
  // The client builds it from a bare Error carrying librdkafka's text: in Node it strips "Local: "
  // and sets code -1; under Jest (another realm) it keeps the text and has no code.
  it.each([
    ['in Node', { message: 'authentication failure', code: -1, errno: -1, origin: 'local' }],
    ['under Jest', { message: 'Local: Authentication failure', code: undefined, origin: 'kafka' }],
  ])("recognizes the client's 'event.error' %s, which lost librdkafka's code", (_where, error) => {
    expect(isAuthenticationError(error)).toBe(true);
  });

  it("recognizes librdkafka's ERR__AUTHENTICATION by code or by its text", () => {
    expect(isAuthenticationError({ message: 'whatever', code: -169 })).toBe(true);
    expect(isAuthenticationError(new Error('Local: Authentication failure'))).toBe(true);
  });

  it.each([
    ['all brokers down', { message: 'all broker connections are down', code: -1, origin: 'local' }],
    ['all brokers down, under Jest', { message: 'Local: All broker connections are down', origin: 'kafka' }],
    ['a transport failure event', { message: 'broker transport failure', code: -1, origin: 'local' }],
    ['a failed connect', { message: 'broker transport failure', code: -195, origin: 'local' }],
    ['a failed listTopics', { message: 'Local: Broker transport failure', code: -195, origin: 'kafka' }],
    ['a timed-out describeTopics', { message: 'Local: Timed out', code: -185, origin: 'kafka' }],
    ['a string', 'authentication failure'],
    ['nothing', undefined],
  ])('does not take %s for one', (_what, error) => {
    expect(isAuthenticationError(error)).toBe(false);
  });
});

describe('describeAuthenticationFailure', () => {
  const scram = {
    'bootstrap.servers': 'localhost:29094',
    'security.protocol': 'sasl_plaintext',
    'sasl.mechanisms': 'SCRAM-SHA-256',
    'sasl.username': 'telemetry',
    'sasl.password': 't3lemetry-secret',
  };

  it("names the mechanism and the user, with librdkafka's reason", () => {
    expect(describeAuthenticationFailure(scram, invalidCredentials256)).toBe(
      `authentication failed: SASL SCRAM-SHA-256 as user 'telemetry' (${invalidCredentials256})`,
    );
    expect(describeAuthenticationFailure(scram)).toBe(
      "authentication failed: SASL SCRAM-SHA-256 as user 'telemetry'",
    );
  });

  it('reads the singular alias and the protocol in any case, and falls back to GSSAPI, the default', () => {
    expect(
      describeAuthenticationFailure({
        'security.protocol': 'SASL_SSL',
        'sasl.mechanism': 'SCRAM-SHA-512',
        'sasl.username': 'svc',
      }),
    ).toBe("authentication failed: SASL SCRAM-SHA-512 as user 'svc'");
    expect(describeAuthenticationFailure({ 'security.protocol': 'sasl_plaintext' })).toBe(
      'authentication failed: SASL GSSAPI',
    );
  });

  it('claims no SASL login without a SASL protocol', () => {
    expect(describeAuthenticationFailure({ 'security.protocol': 'ssl', 'sasl.username': 'svc' }, 'x')).toBe(
      'authentication failed (x)',
    );
  });

  it('never repeats the password or another secret, even when the reason quotes it', () => {
    const config = { ...scram, 'ssl.key.password': 'key-pass', 'sasl.oauthbearer.client.secret': 'oidc' };
    const described = describeAuthenticationFailure(config, 'broker said: t3lemetry-secret, key-pass, oidc');
    expect(described).toBe(
      "authentication failed: SASL SCRAM-SHA-256 as user 'telemetry' (broker said: ***, ***, ***)",
    );
  });
});
