/** Rows to write, each with its position in the caller's input (for error messages). */
export interface IndexedRows<Row> {
  rows: Row[];
  sourceIndexes: number[];
}

/**
 * Keeps one row per key, the last one given: callers pass a batch in offset order, so the newest record
 * of a key wins, and `ON CONFLICT DO UPDATE` never sees a key twice in one statement (SQLSTATE 21000).
 * A row whose key is undefined (a generated key left to the database, or a NULL part, which unique
 * constraints treat as distinct) is never collapsed. The
 * survivors keep the position of the key's first occurrence.
 */
export function dedupeLastWins<Row>(
  rows: readonly Row[],
  keyOf: (row: Row) => string | undefined,
): IndexedRows<Row> {
  const slotByKey = new Map<string, number>();
  const kept: Row[] = [];
  const sourceIndexes: number[] = [];
  rows.forEach((row, index) => {
    const key = keyOf(row);
    const slot = key === undefined ? undefined : slotByKey.get(key);
    if (slot === undefined) {
      if (key !== undefined) slotByKey.set(key, kept.length);
      kept.push(row);
      sourceIndexes.push(index);
    } else {
      kept[slot] = row;
      sourceIndexes[slot] = index;
    }
  });
  return { rows: kept, sourceIndexes };
}

/**
 * A key for values as the database receives them: equal instants and equal buffers give equal keys. Each
 * part is tagged with its type and length, so no two different tuples share a key; this runs once per
 * row, hence no JSON.stringify for the common string, number and date parts.
 */
export function compositeKey(values: readonly unknown[]): string | undefined {
  let key = '';
  for (const value of values) {
    if (value === undefined || value === null) return undefined;
    const text = keyText(value);
    key += `${typeof value === 'object' ? value.constructor.name : typeof value}:${text.length}:${text}`;
  }
  return key;
}

function keyText(value: unknown): string {
  if (value instanceof Date) return String(value.getTime());
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
