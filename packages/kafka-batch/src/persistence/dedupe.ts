import { compositeKey, keyParts } from './dedupe-key';

/** Rows to write, each with its position in the caller's input (for error messages). */
export interface IndexedRows<Row> {
  rows: readonly Row[];
  sourceIndexes: readonly number[];
}

/** Every row, in the caller's order. */
export function allRows<Row>(rows: readonly Row[]): IndexedRows<Row> {
  return { rows, sourceIndexes: positions(rows.length) };
}

/**
 * Keeps one row per key, by default the last one given: callers pass a batch in offset order, so the
 * newest record of a key wins, and `ON CONFLICT DO UPDATE` never sees a key twice in one statement
 * (SQLSTATE 21000). With `replaces`, a later row of a key takes the kept one's place only when
 * `replaces(later, kept)` says so (the newest by a column, for `updateIfNewer`). A row whose key has an
 * undefined or NULL part (a generated key left to the database; unique constraints treat NULLs as
 * distinct) is never collapsed. The survivors keep the position of the key's first occurrence; without
 * duplicates, the caller's rows are used as they are.
 *
 * `keyColumns` holds the key's values column by column. Two rows can share a key only if they share
 * every part, so each column in turn narrows the candidates to the rows whose value repeats among the
 * remaining candidates: a column of distinct values (a timestamp, an id) ends the search after one Map
 * pass, and only rows still in doubt at the end pay for a joined composite key.
 */
export function dedupeByKey<Row>(
  rows: readonly Row[],
  keyColumns: readonly (readonly unknown[])[],
  replaces?: (later: number, kept: number) => boolean,
): IndexedRows<Row> {
  const parts = keyColumns.map(keyParts);
  let candidates = positions(rows.length);
  for (const column of parts) {
    candidates = repeatedIn(column, candidates);
    if (!candidates.length) return allRows(rows);
  }
  const keys = candidates.map((row) =>
    parts.length === 1 ? parts[0][row] : compositeKey(parts.map((column) => column[row])),
  );
  const keptRowByKey = new Map<unknown, number>();
  for (let c = 0; c < candidates.length; c++) {
    const kept = keptRowByKey.get(keys[c]);
    if (kept === undefined || !replaces || replaces(candidates[c], kept)) {
      keptRowByKey.set(keys[c], candidates[c]);
    }
  }
  if (keptRowByKey.size === candidates.length) return allRows(rows);
  return collapse(rows, candidates, keys, keptRowByKey);
}

/** The candidates whose value in `column` is defined and also held by another candidate. */
function repeatedIn(column: readonly unknown[], candidates: readonly number[]): number[] {
  const repeated = new Map<unknown, boolean>();
  for (let c = 0; c < candidates.length; c++) {
    const value = column[candidates[c]];
    if (value != null) repeated.set(value, repeated.has(value));
  }
  return candidates.filter((row) => repeated.get(column[row]) === true);
}

/** Rows in input order, each key's kept row standing where the key first appeared. */
function collapse<Row>(
  rows: readonly Row[],
  candidates: readonly number[],
  keys: readonly unknown[],
  keptRowByKey: Map<unknown, number>,
): IndexedRows<Row> {
  const sourceIndexes: number[] = [];
  let c = 0;
  for (let row = 0; row < rows.length; row++) {
    if (candidates[c] !== row) {
      sourceIndexes.push(row);
      continue;
    }
    const key = keys[c++];
    const kept = keptRowByKey.get(key);
    if (kept === undefined) continue;
    sourceIndexes.push(kept);
    // Later rows of the key are already represented by `kept`.
    keptRowByKey.delete(key);
  }
  return { rows: sourceIndexes.map((index) => rows[index]), sourceIndexes };
}

function positions(count: number): number[] {
  const indexes = new Array<number>(count);
  for (let i = 0; i < count; i++) indexes[i] = i;
  return indexes;
}
