import type { DatabaseType } from 'typeorm';

/**
 * Bind parameters one statement may carry. PostgreSQL's wire protocol counts them in 16 bits and
 * node-postgres wraps past 65,535 instead of failing; SQLite's default SQLITE_MAX_VARIABLE_NUMBER is
 * 32,766 since 3.32 (better-sqlite3 bundles a newer SQLite); SQL Server stops at 2,100. Unknown drivers
 * get SQLite's historical 999.
 */
const LIMITS: Partial<Record<DatabaseType, number>> = {
  postgres: 65_535,
  cockroachdb: 65_535,
  'aurora-postgres': 65_535,
  mysql: 65_535,
  mariadb: 65_535,
  'aurora-mysql': 65_535,
  oracle: 65_535,
  'better-sqlite3': 32_766,
  sqlite: 32_766,
  mssql: 2_100,
};

export function maxBindParameters(type: DatabaseType): number {
  return LIMITS[type] ?? 999;
}

/** Rows per multi-row VALUES statement that stay within the limit. */
export function rowsPerStatement(maxParameters: number, columnsPerRow: number): number {
  const rows = Math.floor(maxParameters / Math.max(columnsPerRow, 1));
  if (rows < 1) {
    throw new Error(
      `a row of ${columnsPerRow} columns exceeds the limit of ${maxParameters} bind parameters`,
    );
  }
  return rows;
}
