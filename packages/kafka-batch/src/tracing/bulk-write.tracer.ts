import { loadOpenTelemetry, recordFailure, TRACER_NAME } from './opentelemetry.loader';

/** One bulk write as its span describes it. */
export interface TracedWrite {
  /** TypeORM's driver type ('postgres', 'sqlite', …). */
  driver: string;
  table: string;
  operation: 'insert' | 'ignore' | 'upsert';
  strategy: string;
  rows: number;
}

/** OpenTelemetry's names of the database systems TypeORM's drivers reach. */
const DB_SYSTEMS: Readonly<Record<string, string>> = {
  postgres: 'postgresql',
  cockroachdb: 'cockroachdb',
  sqlite: 'sqlite',
  'better-sqlite3': 'sqlite',
  mysql: 'mysql',
  mariadb: 'mariadb',
  mssql: 'microsoft.sql_server',
  oracle: 'oracle.db',
};

/**
 * Runs a bulk write inside a database client span (`INSERT <table>`, with the rows, the table and
 * the strategy), the child of whatever span is active: a listener's invocation span when the
 * write is made by its handler. Without `@opentelemetry/api`, the write runs as it is.
 */
export function traceBulkWrite<T>(write: TracedWrite, run: () => Promise<T>): Promise<T> {
  const api = loadOpenTelemetry();
  if (!api) return run();
  const attributes = {
    'db.system.name': DB_SYSTEMS[write.driver] ?? write.driver,
    'db.collection.name': write.table,
    'db.operation.name': 'INSERT',
    'db.operation.batch.size': write.rows,
    'kafka_batch.bulk.operation': write.operation,
    'kafka_batch.bulk.strategy': write.strategy,
  };
  const tracer = api.trace.getTracer(TRACER_NAME);
  return tracer.startActiveSpan(
    `INSERT ${write.table}`,
    { kind: api.SpanKind.CLIENT, attributes },
    async (span) => {
      try {
        return await run();
      } catch (error) {
        recordFailure(api, span, error);
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
