import { arrayLiteral } from './postgres-array-literal';

describe('arrayLiteral', () => {
  it('tells NULL from the text "NULL" and from an empty string', () => {
    expect(arrayLiteral([null, undefined, 'NULL', 'null', ''])).toBe('{NULL,NULL,"NULL","null",""}');
  });

  it('quotes every text element and escapes only quotes and backslashes inside', () => {
    expect(arrayLiteral(['say "hi"', 'back\\slash', '\\"', 'a,b', '{c}', ' padded ', 'tab\tnl\n'])).toBe(
      '{"say \\"hi\\"","back\\\\slash","\\\\\\"","a,b","{c}"," padded ","tab\tnl\n"}',
    );
  });

  it('keeps unicode as is', () => {
    expect(arrayLiteral(['ünïcødé 🚀', '中文'])).toBe('{"ünïcødé 🚀","中文"}');
  });

  it('writes numbers, NaN and infinities in the text form float columns accept', () => {
    expect(arrayLiteral([1.5, -0.25, 1e300, 5e-324, NaN, Infinity, -Infinity, 0])).toBe(
      '{1.5,-0.25,1e+300,5e-324,NaN,Infinity,-Infinity,0}',
    );
  });

  it('writes booleans and bigints unquoted, and numeric strings quoted', () => {
    expect(arrayLiteral([true, false, 9007199254740993n, '9007199254740993', '1234.5600'])).toBe(
      '{true,false,9007199254740993,"9007199254740993","1234.5600"}',
    );
  });

  it('writes dates as node-postgres binds them', () => {
    const literal = arrayLiteral([new Date('2026-01-01T00:00:00.123Z')]);
    expect(new Date(JSON.parse(`[${literal.slice(1, -1)}]`)[0]).toISOString()).toBe(
      '2026-01-01T00:00:00.123Z',
    );
  });

  it('escapes JSON text, which is full of quotes', () => {
    expect(arrayLiteral([JSON.stringify({ quote: '"\\' })])).toBe('{"{\\"quote\\":\\"\\\\\\"\\\\\\\\\\"}"}');
  });

  it('writes bytea in hex form with its backslash escaped', () => {
    expect(arrayLiteral([Buffer.from([0, 34, 92, 255])])).toBe('{"\\\\x00225cff"}');
  });

  it('nests an array-typed value as the text of its own array literal', () => {
    expect(arrayLiteral([['a', 'b,c', null]])).toBe('{"{\\"a\\",\\"b,c\\",NULL}"}');
  });

  it('writes only the requested slice, and an empty one as {}', () => {
    expect(arrayLiteral([1, 2, 3, 4], 1, 3)).toBe('{2,3}');
    expect(arrayLiteral([1, 2], 2, 2)).toBe('{}');
    expect(arrayLiteral([])).toBe('{}');
  });
});
