/** Settings from the environment, with the local defaults the README describes. */
export interface TelemetryConfig {
  kafkaBootstrap: string;
  databaseUrl: string;
  httpPort: number;
}

export function telemetryConfigFromEnv(env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  const httpPort = Number(env.PORT ?? 3000);
  if (!Number.isInteger(httpPort) || httpPort < 0 || httpPort > 65535) {
    throw new Error(`PORT must be an integer in 0..65535 (got "${env.PORT}")`);
  }
  return {
    kafkaBootstrap: env.KAFKA_BOOTSTRAP ?? `localhost:${env.KAFKA_PORT ?? 9092}`,
    databaseUrl: env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    httpPort,
  };
}

export const TELEMETRY_CONFIG = Symbol('TELEMETRY_CONFIG');
