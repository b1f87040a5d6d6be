type PrepareValue = (value: unknown) => string | Buffer | null;

let prepareValue: PrepareValue | undefined;

/**
 * A value in PostgreSQL's text input form, serialized exactly as node-postgres serializes a bind
 * parameter (dates in the session's local offset, arrays as array literals, objects as JSON), so COPY
 * and array columns store what the other strategies store. pg is an optional peer dependency, hence
 * loaded on first use.
 */
export function toPostgresText(value: unknown): string | null {
  // Strings and numbers are most cells of a batch; node-postgres would return them unchanged too.
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- pg ships this module without types
  prepareValue ??= (require('pg/lib/utils') as { prepareValue: PrepareValue }).prepareValue;
  const prepared = prepareValue(value);
  return Buffer.isBuffer(prepared) ? `\\x${prepared.toString('hex')}` : prepared;
}
