/** Network failures of any client (Node's system error codes). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL SQLSTATEs that say "try again later": connection exceptions (class 08), the server
 * shutting down or starting (57P01-57P03), too many connections, serialization failures and
 * deadlocks.
 */
const RETRYABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);

/** node-postgres reports a dropped or unobtainable connection by message only. */
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed/i;

/**
 * The default `retry.transient`: true when the error, or any error it wraps (`cause`, TypeORM's
 * `driverError`, an AggregateError's `errors`), is a lost or refused connection or a retryable
 * database state. Such failures say nothing about the records: they are redelivered after a
 * backoff for as long as they last, never counted as attempts and never dead-lettered.
 */
export function isTransientError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 8) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    (NETWORK_CODES.has(code) || RETRYABLE_SQLSTATES.has(code) || /^08/.test(code))
  )
    return true;
  if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true;
  const wrapped = error as { cause?: unknown; driverError?: unknown; errors?: unknown };
  const inner = [
    wrapped.cause,
    wrapped.driverError,
    ...(Array.isArray(wrapped.errors) ? wrapped.errors : []),
  ];
  return inner.some((e) => e !== error && isTransientError(e, depth + 1));
}
