/** A slice of the rows one statement writes; `index` counts from 1, `end` is exclusive. */
export interface Chunk {
  index: number;
  count: number;
  start: number;
  end: number;
}

export function chunkRanges(total: number, size: number): Chunk[] {
  if (!Number.isInteger(size) || size < 1)
    throw new Error(`chunk size must be a positive integer (got ${size})`);
  const count = Math.ceil(total / size);
  return Array.from({ length: count }, (_, i) => ({
    index: i + 1,
    count,
    start: i * size,
    end: Math.min(total, (i + 1) * size),
  }));
}

/** Numbers chunks across several groups of rows, so messages read "chunk 3/7" for the whole call. */
export function renumber(chunks: readonly Chunk[][]): Chunk[][] {
  const count = chunks.reduce((sum, group) => sum + group.length, 0);
  let index = 0;
  return chunks.map((group) => group.map((chunk) => ({ ...chunk, index: ++index, count })));
}
