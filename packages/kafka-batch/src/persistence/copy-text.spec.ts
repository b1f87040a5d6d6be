import { copyField } from './copy-text';
import { toPostgresText } from './postgres-text';

describe('copyField', () => {
  it('escapes the characters COPY text format gives a meaning', () => {
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('plain "quoted" ünïcødé')).toBe('plain "quoted" ünïcødé');
  });

  it('writes NULL as \\N, unlike an empty string', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField('')).toBe('');
  });

  it('escapes every occurrence, call after call', () => {
    expect([copyField('x\ty\tz'), copyField('\t')]).toEqual(['x\\ty\\tz', '\\t']);
  });
});

describe('toPostgresText', () => {
  it('serializes as node-postgres binds parameters', () => {
    expect(toPostgresText(Buffer.from([0, 255]))).toBe('\\x00ff');
    expect(toPostgresText(['a', 'b,c', null])).toBe('{"a","b,c",NULL}');
    expect(toPostgresText({ a: 1 })).toBe('{"a":1}');
    expect(toPostgresText(true)).toBe('true');
    expect(toPostgresText(null)).toBeNull();
    expect(new Date(toPostgresText(new Date('2026-01-01T00:00:00.123Z')) as string).toISOString()).toBe(
      '2026-01-01T00:00:00.123Z',
    );
  });
});
