import type { ValueLimits } from '../interfaces/batch-listener-options.interface';

export class ValueLimitError extends Error {
  override readonly name = 'ValueLimitError';
}

/** The value's serialized size against `maxBytes`: checked before a byte of it is parsed. */
export function checkValueBytes(value: Buffer | null, { maxBytes }: ValueLimits): void {
  if (value !== null && value.length > maxBytes)
    throw new ValueLimitError(`value is ${value.length} bytes, more than valueLimits.maxBytes (${maxBytes})`);
}

/**
 * The walk's work list, shared by every call: the walk is synchronous, so no two calls overlap,
 * and a record costs no allocation for it.
 */
const pending: unknown[] = [];
const depths: number[] = [];

/**
 * The decoded value's keys and nesting against `maxKeys` and `maxDepth`. Iterative, so a value
 * nested deeper than the call stack is measured rather than crashed on, and it stops at the first
 * limit crossed: its cost is bounded by the limits, not by the value.
 */
export function checkValueShape(value: unknown, { maxKeys, maxDepth }: ValueLimits): void {
  if (!isContainer(value)) return;
  let keys = 0;
  pending.push(value);
  depths.push(1);
  try {
    while (pending.length > 0) {
      const node = pending.pop() as object;
      const depth = depths.pop() as number;
      if (depth > maxDepth)
        throw new ValueLimitError(`value nests deeper than valueLimits.maxDepth (${maxDepth} levels)`);
      if (Array.isArray(node)) {
        keys += node.length;
        if (keys > maxKeys) throw tooManyKeys(maxKeys);
        for (const item of node) visit(item, depth);
      } else {
        for (const key in node) {
          if (++keys > maxKeys) throw tooManyKeys(maxKeys);
          visit((node as Record<string, unknown>)[key], depth);
        }
      }
    }
  } catch (err) {
    // Emptied only here: setting the length of an empty array drops its backing store, which the
    // next record would allocate again.
    pending.length = 0;
    depths.length = 0;
    throw err;
  }
}

function tooManyKeys(maxKeys: number): ValueLimitError {
  return new ValueLimitError(
    `value has more than valueLimits.maxKeys (${maxKeys}) object keys and array elements`,
  );
}

/**
 * Arrays and plain objects, what JSON decodes to. Anything else a custom deserializer returns (a
 * Buffer, a Map, a class instance) is one value: walking a Buffer's indices would count its bytes.
 */
function isContainer(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function visit(child: unknown, parentDepth: number): void {
  if (isContainer(child)) {
    pending.push(child);
    depths.push(parentDepth + 1);
  }
}
