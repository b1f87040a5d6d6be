import { Client } from 'pg';
import { redactDatabaseUrl } from '../config/database-url.redaction';
import type { TelemetryConfig } from '../config/telemetry.config';
import { startEmbeddedPostgres } from './embedded-postgres';

export type DatabaseSource = 'DATABASE_URL' | 'local server' | 'embedded PGlite';

export interface ResolvedDatabase {
  url: string;
  source: DatabaseSource;
  /** For logs: where the data lives, without a password. */
  description: string;
  /** Stops the embedded server; nothing to do for a real one. */
  close(): Promise<void>;
}

type DatabaseSettings = Pick<
  TelemetryConfig,
  'databaseUrl' | 'localDatabaseUrl' | 'embeddedDatabase' | 'embeddedDatabaseDir'
>;

/** Errors that mean "no server there", as opposed to a server that refuses us. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * DATABASE_URL when set (and then nothing else: production must never fall back silently);
 * otherwise the local server (its database created when missing); when none answers, an
 * embedded PostgreSQL, so the demo needs nothing but Node.
 */
export async function resolveDatabase(settings: DatabaseSettings): Promise<ResolvedDatabase> {
  if (settings.databaseUrl) {
    return real(settings.databaseUrl, 'DATABASE_URL');
  }
  const local = await ensureLocalDatabase(settings.localDatabaseUrl);
  if (local === 'created' || local === 'exists') return real(settings.localDatabaseUrl, 'local server');
  if (settings.embeddedDatabase === 'never') {
    throw new Error(
      `no database: DATABASE_URL is not set, nothing answers at ${redactDatabaseUrl(settings.localDatabaseUrl)} ` +
        `(${local.unreachable}), and EMBEDDED_DATABASE=never`,
    );
  }
  const embedded = await startEmbeddedPostgres({ dataDir: settings.embeddedDatabaseDir });
  return {
    url: embedded.url,
    source: 'embedded PGlite',
    description: `embedded PGlite at ${embedded.url}, data in ${embedded.dataDir}`,
    close: embedded.stop,
  };
}

function real(url: string, source: DatabaseSource): ResolvedDatabase {
  return { url, source, description: `${source} ${redactDatabaseUrl(url)}`, close: async () => undefined };
}

/** Creates the local database when the server answers without it; reports when no server answers. */
export async function ensureLocalDatabase(
  url: string,
): Promise<'exists' | 'created' | { unreachable: string }> {
  const reached = await tryConnect(url);
  if (reached === true) return 'exists';
  if (reached.code !== '3D000') return { unreachable: reached.message }; // 3D000: no such database
  const database = decodeURIComponent(new URL(url).pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    return 'created';
  } catch (err) {
    // Two processes starting at once: the other one created it.
    if ((err as { code?: string }).code === '42P04') return 'exists';
    throw err;
  } finally {
    await client.end();
  }
}

async function tryConnect(url: string): Promise<true | { code: string; message: string }> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    return true;
  } catch (err) {
    const { code = '', message } = err as { code?: string; message: string };
    if (code === '3D000' || UNREACHABLE.has(code) || /timeout/i.test(message)) return { code, message };
    throw new Error(`PostgreSQL at ${redactDatabaseUrl(url)} refused the connection: ${message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
