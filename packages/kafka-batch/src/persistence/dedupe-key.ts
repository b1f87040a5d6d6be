/**
 * When two conflict-key values are the same key: equal as the database receives them, so equal instants
 * and equal buffers match, while the string '1' and the number 1 do not (they would bind differently).
 */

/**
 * One key column's values turned into Map keys that are equal exactly when the values are the same key;
 * null and undefined stay as they are (no key). Primitives already compare that way in a Map, so a
 * column of them is returned as it is, with no allocation; a column of dates becomes their instants.
 * Anything else (buffers, objects, dates mixed with numbers) falls back to tagged compositeKey strings.
 */
export function keyParts(values: readonly unknown[]): readonly unknown[] {
  let objects = 0;
  let dates = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'object' && value !== null) {
      objects++;
      if (value instanceof Date) dates++;
    }
  }
  if (!objects) return values;
  if (dates === objects && !hasPrimitive(values)) {
    return values.map((value) => (value == null ? value : (value as Date).getTime()));
  }
  return values.map((value) => (value == null ? value : compositeKey([value])));
}

function hasPrimitive(values: readonly unknown[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value != null && typeof value !== 'object') return true;
  }
  return false;
}

/**
 * One string per tuple of values. Each part is tagged with its type and length, so no two different
 * tuples share a key; no JSON.stringify for the common string, number and date parts. Undefined when a
 * part is missing or NULL, which unique constraints treat as distinct.
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
