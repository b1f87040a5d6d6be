import { telemetryConfigFromEnv } from './telemetry.config';

describe('telemetryConfigFromEnv', () => {
  it('has local defaults', () => {
    expect(telemetryConfigFromEnv({})).toEqual({
      httpPort: 3000,
      kafkaBootstrap: 'localhost:9092',
      kafkaSecurity: { 'security.protocol': 'plaintext' },
      topic: 'telemetry.readings',
      partitions: 12,
      groupId: 'telemetry-writer',
      concurrency: 2,
      shutdownTimeoutMs: 20_000,
      databaseUrl: undefined,
      localDatabaseUrl: 'postgres://postgres@127.0.0.1:5432/telemetry',
      embeddedDatabase: 'auto',
      embeddedDatabaseDir: '.data/pglite',
      databaseLogParameters: false,
      consoleToken: undefined,
      consoleReadOnly: false,
      podName: undefined,
      leaveGroupOnShutdown: 'never',
    });
  });

  it('leaves the group on a scale-down by default in a cluster, and as told elsewhere', () => {
    const inCluster = { KUBERNETES_SERVICE_HOST: '10.0.0.1', POD_NAME: 'telemetry-2' };
    expect(telemetryConfigFromEnv(inCluster)).toMatchObject({
      podName: 'telemetry-2',
      leaveGroupOnShutdown: 'scale-down',
    });
    expect(
      telemetryConfigFromEnv({ ...inCluster, LEAVE_GROUP_ON_SHUTDOWN: 'never' }).leaveGroupOnShutdown,
    ).toBe('never');
    expect(() => telemetryConfigFromEnv({ LEAVE_GROUP_ON_SHUTDOWN: 'on-scale-down' })).toThrow(
      'LEAVE_GROUP_ON_SHUTDOWN must be one of scale-down, always, never (got "on-scale-down")',
    );
  });

  it('reads the console settings', () => {
    expect(telemetryConfigFromEnv({ CONSOLE_TOKEN: 's3cret', CONSOLE_READ_ONLY: 'true' })).toMatchObject({
      consoleToken: 's3cret',
      consoleReadOnly: true,
    });
    expect(() => telemetryConfigFromEnv({ CONSOLE_READ_ONLY: 'yes' })).toThrow('CONSOLE_READ_ONLY');
  });

  it('builds SASL settings for the Kafka clients', () => {
    const config = telemetryConfigFromEnv({
      KAFKA_SECURITY_PROTOCOL: 'sasl_ssl',
      KAFKA_SASL_MECHANISM: 'PLAIN',
      KAFKA_SASL_USERNAME: 'svc',
      KAFKA_SASL_PASSWORD: 'pw',
    });
    expect(config.kafkaSecurity).toEqual({
      'security.protocol': 'sasl_ssl',
      'sasl.mechanisms': 'PLAIN',
      'sasl.username': 'svc',
      'sasl.password': 'pw',
    });
  });

  it.each([
    [{ SHUTDOWN_TIMEOUT_MS: '500' }, 'SHUTDOWN_TIMEOUT_MS must be an integer in 1000..600000 (got "500")'],
    [{ TELEMETRY_CONCURRENCY: 'two' }, 'TELEMETRY_CONCURRENCY must be an integer in 1..64 (got "two")'],
    [{ EMBEDDED_DATABASE: 'yes' }, 'EMBEDDED_DATABASE must be one of auto, never (got "yes")'],
    [
      { DATABASE_URL: 'postgres://u:hunter2@:x' },
      'DATABASE_URL must be a URL postgres://user[:password]@host[:port]/database (got "postgres://***@:x")',
    ],
    [
      { DATABASE_URL: 'mysql://u:p@ss-hunter2@db/x?password=hunter3' },
      'DATABASE_URL must start with postgres:// or postgresql:// (got "mysql://u:***@db/x?password=***")',
    ],
    [{ DATABASE_LOG_PARAMETERS: 'yes' }, 'DATABASE_LOG_PARAMETERS must be one of false, true (got "yes")'],
  ])(
    'rejects %j, naming the variable, the allowed values and (without a password) the value',
    (env, message) => {
      expect(() => telemetryConfigFromEnv(env)).toThrow(message);
    },
  );
});
