import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

export interface EmbeddedPostgres {
  url: string;
  dataDir: string | undefined;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL (PGlite: the server compiled to WebAssembly) in this process, reachable over
 * the PostgreSQL wire protocol on 127.0.0.1, so the app talks to it with `pg` exactly as to any
 * server. Single-threaded: queries from all connections run one at a time, which is fine for a
 * demo and nothing else. Loaded lazily: a service with a real database never loads it.
 *
 * `dataDir` undefined keeps the database in memory.
 */
export async function startEmbeddedPostgres({
  dataDir,
  port = 0,
}: {
  dataDir?: string;
  port?: number;
}): Promise<EmbeddedPostgres> {
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGLiteSocketServer } = await import('@electric-sql/pglite-socket');
  const directory = dataDir === undefined ? undefined : resolve(dataDir);
  if (directory) mkdirSync(directory, { recursive: true });
  const db = await PGlite.create(directory);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 32 });
  await server.start();
  const [, boundPort] = server.getServerConn().split(':');
  return {
    url: `postgres://postgres@127.0.0.1:${boundPort}/postgres`,
    dataDir: directory,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
