/** Where the integration tests find their services; both overridable from the environment. */
export const kafkaBootstrap = (): string =>
  process.env.KAFKA_BOOTSTRAP ?? `localhost:${process.env.KAFKA_PORT ?? 9092}`;

export const databaseUrl = (): string =>
  process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
