import 'reflect-metadata';
import * as classValidator from 'class-validator';
import { IsInt, IsString, Matches, Max, Min, ValidateIf } from 'class-validator';
import { ConstraintChecker } from './constraint.checker';
import type { FunctionFactory } from './function.factory';

class Awkward {
  // Names that would break out of a string literal or a property access written into source code.
  @IsString() @Matches(/^ok/) 'a"b\'c\nd\u2028e'!: string;
  @IsInt() @Min(0) @Max(9) ['}; return true; //']!: number;
  @ValidateIf((o: Awkward) => o['}; return true; //'] > 5) @IsString() __proto__x?: string;
}

function metadataOf(type: new () => object) {
  return classValidator.getMetadataStorage().getTargetValidationMetadatas(type, '', false, false);
}

const checkerOf = (type: new () => object, makeFunction?: FunctionFactory) =>
  ConstraintChecker.compile(classValidator, type, metadataOf(type), makeFunction);

const awkward = (values: Record<string, unknown>) => Object.assign(new Awkward(), values);

describe('ConstraintChecker', () => {
  it('compiles property names as data: quotes, newlines and code in them change no verdict', () => {
    const checker = checkerOf(Awkward)!;
    const cases = [
      awkward({ 'a"b\'c\nd\u2028e': 'ok', '}; return true; //': 3 }),
      awkward({ 'a"b\'c\nd\u2028e': 'no', '}; return true; //': 3 }),
      awkward({ 'a"b\'c\nd\u2028e': 'ok', '}; return true; //': 10 }),
      awkward({ 'a"b\'c\nd\u2028e': 'ok', '}; return true; //': 7 }),
      awkward({ 'a"b\'c\nd\u2028e': 'ok', '}; return true; //': 7, __proto__x: 'why' }),
      awkward({}),
    ];
    expect(cases.map((instance) => checker.passes(instance))).toEqual(
      cases.map((instance) => classValidator.validateSync(instance).length === 0),
    );
    expect(cases.map((instance) => checker.passes(instance))).toEqual([
      true,
      false,
      false,
      false,
      true,
      false,
    ]);
  });

  it('compiles nothing where code cannot be generated, leaving the class to class-validator', () => {
    const refused: FunctionFactory = () => {
      throw new EvalError('Code generation from strings disallowed for this context');
    };
    expect(checkerOf(Awkward, refused)).toBeUndefined();
  });
});
