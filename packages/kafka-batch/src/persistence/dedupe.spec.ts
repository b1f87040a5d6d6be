import { allRows, dedupeByKey } from './dedupe';
import { compositeKey } from './dedupe-key';

/** The rule spelled out row by row: one composite key per row, the last row of a key at its first place. */
function lastWinsByCompositeKey(keyColumns: unknown[][]): number[] {
  const slotByKey = new Map<string, number>();
  const kept: number[] = [];
  keyColumns[0].forEach((_, row) => {
    const key = compositeKey(keyColumns.map((column) => column[row]));
    const slot = key === undefined ? undefined : slotByKey.get(key);
    if (slot === undefined) {
      if (key !== undefined) slotByKey.set(key, kept.length);
      kept.push(row);
    } else {
      kept[slot] = row;
    }
  });
  return kept;
}

const keyed = (keys: unknown[]) => keys.map((key, v) => ({ key, v }));
const survivors = (keys: unknown[]) => dedupeByKey(keyed(keys), [keys]).sourceIndexes;

describe('dedupeByKey', () => {
  it('keeps the last row of each key at the position of its first occurrence', () => {
    const rows = [
      { key: 'a', v: 1 },
      { key: 'b', v: 2 },
      { key: 'a', v: 3 },
      { key: 'c', v: 4 },
      { key: 'a', v: 5 },
    ];

    expect(dedupeByKey(rows, [rows.map((row) => row.key)])).toEqual({
      rows: [
        { key: 'a', v: 5 },
        { key: 'b', v: 2 },
        { key: 'c', v: 4 },
      ],
      sourceIndexes: [4, 1, 3],
    });
  });

  it('never collapses rows without a key', () => {
    expect(survivors([undefined, undefined, null, null])).toEqual([0, 1, 2, 3]);
  });

  it('hands back the caller rows untouched when no key repeats', () => {
    const rows = keyed(['a', 'b', 'c']);

    const result = dedupeByKey(rows, [['a', 'b', 'c']]);

    expect(result.rows).toBe(rows);
    expect(result.sourceIndexes).toEqual([0, 1, 2]);
  });

  it('tells numbers from numeric strings, as the database receives them', () => {
    expect(survivors([1, '1', 1n, true, 'true', 1])).toEqual([5, 1, 2, 3, 4]);
  });

  it('matches equal instants, not the same Date object', () => {
    const day = Date.UTC(2026, 0, 1);
    expect(survivors([new Date(day), new Date(day + 1), new Date(day)])).toEqual([2, 1]);
    expect(survivors([new Date(day), day, new Date(day)])).toEqual([2, 1]);
  });

  it('matches equal buffers', () => {
    expect(survivors([Buffer.from('ab'), Buffer.from('b'), Buffer.from('ab')])).toEqual([2, 1]);
  });

  it('collapses composite keys only when every part matches', () => {
    const devices = ['d1', 'd1', 'd2', 'd1', 'd2'];
    const instants = [1, 2, 1, 1, 2].map((second) => new Date(second * 1_000));
    const rows = keyed(devices);

    expect(dedupeByKey(rows, [devices, instants]).sourceIndexes).toEqual([3, 1, 2, 4]);
  });

  it('does not collapse a composite key with a NULL part', () => {
    expect(
      dedupeByKey(keyed(['a', 'a']), [
        ['a', 'a'],
        [null, null],
      ]).sourceIndexes,
    ).toEqual([0, 1]);
  });

  it('does not join parts ambiguously', () => {
    const rows = keyed(['a', 'a,b']);
    expect(
      dedupeByKey(rows, [
        ['a,b', 'a'],
        ['c', 'b,c'],
      ]).sourceIndexes,
    ).toEqual([0, 1]);
  });

  it("keeps the row `replaces` prefers, at the place of the key's first occurrence", () => {
    const keys = ['a', 'b', 'a', 'b', 'a'];
    const versions = [5, 1, 9, 3, 7];
    const newer = (later: number, kept: number) => versions[later] >= versions[kept];

    expect(dedupeByKey(keyed(keys), [keys], newer).sourceIndexes).toEqual([2, 3]);
    expect(dedupeByKey(keyed(keys), [keys]).sourceIndexes).toEqual([4, 3]);
  });

  it('agrees with the row-by-row rule on mixed keys', () => {
    const pool: unknown[] = ['1', 1, 1n, null, undefined, new Date(1), new Date(1), 'x', Buffer.from('x')];
    let seed = 7;
    const pick = () => pool[(seed = (seed * 48_271) % 2_147_483_647) % pool.length];
    for (let round = 0; round < 50; round++) {
      const columns = [0, 1].map(() => Array.from({ length: 40 }, pick));

      expect(dedupeByKey(keyed(columns[0]), columns).sourceIndexes).toEqual(lastWinsByCompositeKey(columns));
      expect(dedupeByKey(keyed(columns[0]), [columns[0]]).sourceIndexes).toEqual(
        lastWinsByCompositeKey([columns[0]]),
      );
    }
  });
});

describe('allRows', () => {
  it('numbers every row in order', () => {
    expect(allRows(['a', 'b']).sourceIndexes).toEqual([0, 1]);
  });
});
