import { chunkRanges, renumber } from './chunking';
import { maxBindParameters, rowsPerStatement } from './parameter-limit';

describe('chunkRanges', () => {
  it('covers every row once, the last chunk short', () => {
    expect(chunkRanges(1_200, 500)).toEqual([
      { index: 1, count: 3, start: 0, end: 500 },
      { index: 2, count: 3, start: 500, end: 1_000 },
      { index: 3, count: 3, start: 1_000, end: 1_200 },
    ]);
    expect(chunkRanges(0, 500)).toEqual([]);
  });

  it('rejects a size that is not a positive integer', () => {
    expect(() => chunkRanges(10, 0)).toThrow(/positive integer/);
  });

  it('numbers chunks across groups', () => {
    const numbered = renumber([chunkRanges(3, 2), chunkRanges(1, 2)]);
    expect(numbered.flat().map((chunk) => `${chunk.index}/${chunk.count}`)).toEqual(['1/3', '2/3', '3/3']);
  });
});

describe('bind parameter limits', () => {
  it('fits floor(limit / columns) rows in a statement', () => {
    expect(rowsPerStatement(maxBindParameters('postgres'), 8)).toBe(8_191);
    expect(rowsPerStatement(maxBindParameters('better-sqlite3'), 8)).toBe(4_095);
    expect(rowsPerStatement(maxBindParameters('mssql'), 7)).toBe(300);
  });

  it('refuses a row wider than the limit', () => {
    expect(() => rowsPerStatement(999, 1_000)).toThrow(/exceeds the limit of 999/);
  });
});
