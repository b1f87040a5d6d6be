import { choiceVar, ConfigError, integerVar, patternVar, postgresUrlVar } from './env.parsers';

export type EmbeddedDatabaseMode = 'auto' | 'never';
export type LeaveGroupMode = 'scale-down' | 'always' | 'never';

/** Everything the service reads from its environment, validated once at startup. */
export interface TelemetryConfig {
  httpPort: number;
  kafkaBootstrap: string;
  /** librdkafka security settings for every client (consumers, dead-letter producer, admin). */
  kafkaSecurity: Record<string, string>;
  topic: string;
  partitions: number;
  groupId: string;
  concurrency: number;
  shutdownTimeoutMs: number;
  /** DATABASE_URL, when set; otherwise the database resolver looks for a local or embedded server. */
  databaseUrl: string | undefined;
  localDatabaseUrl: string;
  embeddedDatabase: EmbeddedDatabaseMode;
  embeddedDatabaseDir: string;
  /** DATABASE_LOG_PARAMETERS=true: TypeORM logs a failed query with its bound values (debugging only). */
  databaseLogParameters: boolean;
  /** CONSOLE_TOKEN: the operator console asks for it (once, as ?token=, then from a cookie); unset: open. */
  consoleToken: string | undefined;
  /** CONSOLE_READ_ONLY=true: the console shows everything and changes nothing. */
  consoleReadOnly: boolean;
  /** POD_NAME: the static member's id (the library reads it too); unset, the member is dynamic. */
  podName: string | undefined;
  /**
   * LEAVE_GROUP_ON_SHUTDOWN: whether the static member leaves the group as the pod stops;
   * 'scale-down' (the default in a cluster) asks the API server whether the StatefulSet still wants it.
   */
  leaveGroupOnShutdown: LeaveGroupMode;
}

const HOST_PORT_LIST = /^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/;
// Kafka's own rule for topic names (and a group id is just as strict here, for readability).
const KAFKA_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const KAFKA_NAME_RULE = '1..249 characters of A-Z a-z 0-9 . _ -';

export function telemetryConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  return {
    httpPort: integerVar(env, 'PORT', 3000, 0, 65535),
    kafkaBootstrap: patternVar(
      env,
      'KAFKA_BOOTSTRAP',
      `localhost:${integerVar(env, 'KAFKA_PORT', 9092, 1, 65535)}`,
      HOST_PORT_LIST,
      'a list host:port[,host:port…]',
    ),
    kafkaSecurity: kafkaSecurityFromEnv(env),
    topic: readingsTopicFromEnv(env),
    partitions: integerVar(env, 'TELEMETRY_PARTITIONS', 12, 1, 10_000),
    groupId: patternVar(env, 'TELEMETRY_GROUP_ID', 'telemetry-writer', KAFKA_NAME, KAFKA_NAME_RULE),
    concurrency: integerVar(env, 'TELEMETRY_CONCURRENCY', 2, 1, 64),
    shutdownTimeoutMs: integerVar(env, 'SHUTDOWN_TIMEOUT_MS', 20_000, 1_000, 600_000),
    databaseUrl: postgresUrlVar(env, 'DATABASE_URL'),
    localDatabaseUrl:
      postgresUrlVar(env, 'LOCAL_DATABASE_URL') ?? 'postgres://postgres@127.0.0.1:5432/telemetry',
    embeddedDatabase: choiceVar<EmbeddedDatabaseMode>(env, 'EMBEDDED_DATABASE', 'auto', ['auto', 'never']),
    embeddedDatabaseDir: env.EMBEDDED_DATABASE_DIR || '.data/pglite',
    databaseLogParameters: choiceVar(env, 'DATABASE_LOG_PARAMETERS', 'false', ['false', 'true']) === 'true',
    consoleToken: env.CONSOLE_TOKEN || undefined,
    consoleReadOnly: choiceVar(env, 'CONSOLE_READ_ONLY', 'false', ['false', 'true']) === 'true',
    podName: env.POD_NAME || undefined,
    leaveGroupOnShutdown: choiceVar<LeaveGroupMode>(
      env,
      'LEAVE_GROUP_ON_SHUTDOWN',
      env.KUBERNETES_SERVICE_HOST ? 'scale-down' : 'never',
      ['scale-down', 'always', 'never'],
    ),
  };
}

const SECURITY_PROTOCOLS = ['plaintext', 'ssl', 'sasl_plaintext', 'sasl_ssl'] as const;
const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

function kafkaSecurityFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const protocol = choiceVar(env, 'KAFKA_SECURITY_PROTOCOL', 'plaintext', SECURITY_PROTOCOLS);
  if (!protocol.startsWith('sasl_')) return { 'security.protocol': protocol };
  const mechanism = choiceVar(env, 'KAFKA_SASL_MECHANISM', 'SCRAM-SHA-512', SASL_MECHANISMS);
  for (const name of ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD']) {
    if (!env[name]) throw new ConfigError(`${name} must be set when KAFKA_SECURITY_PROTOCOL=${protocol}`);
  }
  return {
    'security.protocol': protocol,
    'sasl.mechanisms': mechanism,
    'sasl.username': env.KAFKA_SASL_USERNAME!,
    'sasl.password': env.KAFKA_SASL_PASSWORD!,
  };
}

/** The topic alone, for the simulator, which needs nothing else of the service's configuration. */
export function readingsTopicFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return patternVar(env, 'TELEMETRY_TOPIC', 'telemetry.readings', KAFKA_NAME, KAFKA_NAME_RULE);
}

export const TELEMETRY_CONFIG = Symbol('TELEMETRY_CONFIG');
