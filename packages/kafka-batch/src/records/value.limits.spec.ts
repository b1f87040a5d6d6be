import type { ValueLimits } from '../interfaces/batch-listener-options.interface';
import { checkValueBytes, checkValueShape, ValueLimitError } from './value.limits';

const limits: ValueLimits = { maxBytes: 100, maxKeys: 10, maxDepth: 3 };

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('value limits', () => {
  it('rejects a value of more bytes than maxBytes, naming the size and the option', () => {
    expect(() => checkValueBytes(Buffer.alloc(100), limits)).not.toThrow();
    expect(() => checkValueBytes(null, limits)).not.toThrow();
    expect(() => checkValueBytes(Buffer.alloc(101), limits)).toThrow(
      new ValueLimitError('value is 101 bytes, more than valueLimits.maxBytes (100)'),
    );
  });

  it('counts object keys and array elements at every depth against maxKeys', () => {
    expect(() => checkValueShape({ a: [1, 2, 3], b: { c: 1, d: [4, 5, 6] } }, limits)).not.toThrow(); // 10
    expect(() => checkValueShape({ a: [1, 2, 3], b: { c: 1, d: [4, 5, 6, 7] } }, limits)).toThrow(
      'value has more than valueLimits.maxKeys (10) object keys and array elements',
    );
    expect(() =>
      checkValueShape(
        Array.from({ length: 11 }, () => 0),
        limits,
      ),
    ).toThrow(ValueLimitError);
  });

  it('measures nesting against maxDepth without recursion, however deep the value is', () => {
    expect(() => checkValueShape(nested(3), limits)).not.toThrow();
    expect(() => checkValueShape([[[1]]], limits)).not.toThrow();
    expect(() => checkValueShape(nested(4), limits)).toThrow(
      new ValueLimitError('value nests deeper than valueLimits.maxDepth (3 levels)'),
    );
    expect(() => checkValueShape([[[[1]]]], limits)).toThrow(ValueLimitError);
    const deep = { ...limits, maxDepth: 200_000, maxKeys: 1_000_000 };
    expect(() => checkValueShape(nested(100_000), deep)).not.toThrow();
  });

  it('treats what is not an array or a plain object as one value (a Buffer is not its bytes)', () => {
    expect(() => checkValueShape(Buffer.alloc(1000), limits)).not.toThrow();
    expect(() => checkValueShape({ when: new Date(), bytes: Buffer.alloc(50) }, limits)).not.toThrow();
    expect(() => checkValueShape('x'.repeat(1000), limits)).not.toThrow();
    expect(() =>
      checkValueShape(Object.assign(Object.create(null), { a: { b: { c: {} } } }), limits),
    ).toThrow(ValueLimitError);
  });

  it('leaves nothing behind after a rejected value: the next one is measured afresh', () => {
    expect(() => checkValueShape(nested(10), limits)).toThrow(ValueLimitError);
    expect(() => checkValueShape({ a: 1 }, limits)).not.toThrow();
  });
});
