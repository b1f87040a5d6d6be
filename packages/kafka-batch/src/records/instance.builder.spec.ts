import 'reflect-metadata';
import * as classTransformer from 'class-transformer';
import { plainToInstance, Transform, Type } from 'class-transformer';
import type { FunctionFactory } from './function.factory';
import { InstanceBuilder } from './instance.builder';

const WEIRD = 'a"b\'c\nd\u2028e';
const CODE = '}; return {}; //';

class Awkward {
  [WEIRD]!: string;
  @Type(() => Number) [CODE]!: number;
  @Transform(({ value, key }) => `${key}=${String(value)}`) trimmed!: string;
  method(): string {
    return 'kept';
  }
}

const declared = new Set([WEIRD, CODE, 'trimmed', 'method']);
const values = [
  { [WEIRD]: 'x', [CODE]: '42', trimmed: 1, extra: [1], method: 'not set' },
  { trimmed: null, [CODE]: null, __proto__x: 2 },
  { [WEIRD]: { nested: true }, [CODE]: 1 },
  {},
];

describe('InstanceBuilder', () => {
  it('compiles property names as data: quotes, newlines and code in them build what plainToInstance builds', () => {
    const builder = new InstanceBuilder(Awkward, declared, classTransformer);
    expect(builder.compiled).toBe(true);
    for (const value of values) {
      const built = builder.build(structuredClone(value));
      expect(built).toEqual(plainToInstance(Awkward, structuredClone(value)));
      expect(built).toBeInstanceOf(Awkward);
    }
    expect(builder.build(values[0])).toMatchObject({ [CODE]: 42, trimmed: 'trimmed=1' });
  });

  it('leaves the class to class-transformer where code cannot be generated', () => {
    const refused: FunctionFactory = () => {
      throw new EvalError('Code generation from strings disallowed for this context');
    };
    const builder = new InstanceBuilder(Awkward, declared, classTransformer, refused);
    expect(builder.compiled).toBe(false);
    expect(builder.build(structuredClone(values[0]))).toEqual(
      plainToInstance(Awkward, structuredClone(values[0])),
    );
  });
});
