import { BULK_STRATEGIES, BulkRepository } from '@org/kafka-batch/persistence';
import { createTestDatabase, TestDatabase } from '@org/testing';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { AllTypes, Status } from './entities';
import { postgresDataSource } from './data-sources';

const STRATEGIES = BULK_STRATEGIES;
const AWKWARD_TEXT =
  'tab\there, line\nbreak, cr\r, back\\slash \\N, "double" \'single\', ünïcødé 🚀, {braces}';

function sample(i: number): AllTypes {
  return {
    id: randomUUID(),
    text: `${AWKWARD_TEXT} ${i}`,
    shortName: `short ${i}`,
    integer: 2_147_483_000 + i,
    big: '9007199254740993',
    double: 1.0000000000000002,
    amount: '1234567890.1234',
    flag: i % 2 === 0,
    at: new Date('2024-03-01T12:34:56.789Z'),
    localAt: new Date(2024, 2, 1, 12, 34, 56, 789),
    day: '2024-02-29',
    doc: { nested: { list: [1, 'two', null], quote: '"\\\t' }, n: i },
    plainJson: ['x', { y: 1 }],
    status: Status.Retired,
    ref: i % 2 ? `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` : null,
    bytes: Buffer.from([0, 1, 9, 10, 13, 34, 92, 255]),
    tags: ['a', 'b,c', 'd"e', 'f\\g', '{h}', 'NULL', ''],
    scores: i % 2 ? [1, -2, 3] : null,
    simple: { a: i },
    euros: 12.34,
    location: { lat: 52.52, lon: 13.405 },
    note: null,
    state: 'given',
  };
}

/** A loaded row without what the database assigns on its own. */
function comparable({ id: _id, createdAt: _createdAt, ...row }: AllTypes) {
  return row;
}

describe('BulkRepository on PostgreSQL: column types', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let bulk: BulkRepository<AllTypes>;

  beforeAll(async () => {
    database = await createTestDatabase('kb_bulk_types');
    dataSource = await postgresDataSource(database.url, [AllTypes]);
    bulk = new BulkRepository(dataSource, AllTypes);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  it.each(STRATEGIES)('%s stores every type exactly as TypeORM save() does', async (strategy) => {
    const reference = [sample(1), sample(2)];
    const written = [sample(1), sample(2)];
    await dataSource.getRepository(AllTypes).save(reference);

    const result = await bulk.insertMany(written, { strategy });

    expect(result).toMatchObject({ strategy, inserted: 2, written: 2, updated: 0, skipped: 0 });
    const repository = dataSource.getRepository(AllTypes);
    for (const [i, row] of written.entries()) {
      const stored = await repository.findOneByOrFail({ id: row.id });
      const expected = await repository.findOneByOrFail({ id: reference[i].id });
      expect(comparable(stored)).toEqual(comparable(expected));
      // And against the input itself, so a shared mistake of both paths would not pass.
      expect(stored).toMatchObject({
        text: row.text,
        shortName: row.shortName,
        big: row.big,
        amount: row.amount,
        at: row.at,
        localAt: row.localAt,
        doc: row.doc,
        plainJson: row.plainJson,
        status: Status.Retired,
        ref: row.ref,
        bytes: row.bytes,
        tags: row.tags,
        scores: row.scores,
        simple: row.simple,
        euros: 12.34,
        location: row.location,
        note: null,
        state: 'given',
      });
    }
    const [{ cents }] = await dataSource.query(`SELECT euros AS cents FROM all_types WHERE id = $1`, [
      written[0].id,
    ]);
    expect(cents).toBe(1234);
  });

  it.each(STRATEGIES)(
    '%s leaves a column a row does not define to its DEFAULT, and keeps explicit NULLs',
    async (strategy) => {
      const withState = sample(3);
      const { state: _state, ...withoutState } = sample(4);
      const withoutNote: Partial<AllTypes> = { ...sample(5), state: 'third shape' };
      delete withoutNote.note;

      const result = await bulk.insertMany([withState, withoutState, withoutNote as AllTypes], { strategy });

      expect(result.inserted).toBe(3);
      // unnest and copy write each shape of row with its own statement; values binds DEFAULT per row.
      expect(result.statements).toBe(strategy === 'values' ? 1 : 3);
      const repository = dataSource.getRepository(AllTypes);
      expect(await repository.findOneByOrFail({ id: withState.id })).toMatchObject({
        state: 'given',
        note: null,
      });
      expect(await repository.findOneByOrFail({ id: withoutState.id })).toMatchObject({ state: 'fresh' });
      expect((await repository.findOneByOrFail({ id: withoutNote.id })).createdAt).toBeInstanceOf(Date);
    },
  );

  it.each(STRATEGIES)(
    '%s round-trips the values that array literals and COPY give a meaning',
    async (strategy) => {
      const texts = ['', 'NULL', 'null', ' padded ', '\\N', '"', '\\', ',', '{}', '\t\n\r', 'ünïcødé 🚀'];
      const doubles = [NaN, Infinity, -Infinity, Number.MAX_VALUE, 5e-324, 1e300, 0.1 + 0.2, -1.5, 0, 1, 2];
      const rows = texts.map((text, i) => ({
        ...sample(20 + i),
        text,
        double: doubles[i],
        doc: { text, quote: '"\\' },
      }));

      await bulk.insertMany(rows, { strategy });

      const repository = dataSource.getRepository(AllTypes);
      for (const row of rows) {
        const stored = await repository.findOneByOrFail({ id: row.id });
        expect({ text: stored.text, double: stored.double, doc: stored.doc }).toEqual({
          text: row.text,
          double: row.double,
          doc: row.doc,
        });
      }
    },
  );

  it.each(STRATEGIES)(
    '%s stores integers, doubles and timestamps far from today as the others do',
    async (strategy) => {
      const edges = [
        { integer: -(2 ** 31), double: -0, at: new Date('1800-01-01T00:00:00.001Z') },
        { integer: 0, double: -Number.MAX_VALUE, at: new Date('2200-06-30T12:00:00.5Z') },
        { integer: 2 ** 31 - 1, double: Number.MIN_VALUE, at: new Date('1999-12-31T23:59:59.999Z') },
      ];
      const rows = edges.map((edge, i) => ({ ...sample(40 + i), ...edge }));

      await bulk.insertMany(rows, { strategy });

      const stored = await dataSource.query(
        `SELECT "integer", "double", "at", "double"::text AS "doubleText" FROM all_types
         WHERE id = ANY($1) ORDER BY "integer"`,
        [rows.map((row) => row.id)],
      );
      expect(stored).toEqual(
        edges.map((edge) => ({ ...edge, double: edge.double || 0, doubleText: String(edge.double || 0) })),
      );
    },
  );

  it.each(STRATEGIES)('%s rejects a fraction in an integer column as the database does', async (strategy) => {
    const row = { ...sample(7), integer: 1.5 };

    await expect(bulk.insertMany([row], { strategy })).rejects.toThrow(
      /invalid input syntax for type integer/,
    );
  });

  it('rejects a value longer than a varchar column instead of truncating it', async () => {
    const row = { ...sample(6), shortName: 'x'.repeat(41) };

    await expect(bulk.insertMany([row], { strategy: 'unnest' })).rejects.toThrow(/value too long/);
    await expect(bulk.insertMany([row], { strategy: 'copy' })).rejects.toThrow(/value too long/);
  });
});
