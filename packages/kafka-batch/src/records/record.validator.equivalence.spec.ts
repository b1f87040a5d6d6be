import 'reflect-metadata';
import { plainToInstance, Transform, Type } from 'class-transformer';
import {
  Allow,
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsDate,
  IsDefined,
  IsEmail,
  IsEnum,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxDate,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
  validateSync,
  ValidationError,
} from 'class-validator';
import fc from 'fast-check';
import { RecordValidator } from './record.validator';

enum Unit {
  Celsius = 'C',
  Fahrenheit = 'F',
}

class Scalars {
  @IsString() @Matches(/^[a-z][a-z0-9-]{0,15}$/) id!: string;
  @IsNumber({ allowNaN: false, allowInfinity: false }) @Min(-40) @Max(125) temperature!: number;
  @IsInt() @IsPositive() count!: number;
  @IsBoolean() enabled!: boolean;
  @IsEnum(Unit) unit!: Unit;
  @IsIn(['low', 'high']) level!: string;
  @IsOptional() @IsUUID('4') session?: string;
  @IsOptional() @IsEmail() owner?: string;
  @IsNotEmpty() @MinLength(2) @MaxLength(8) code!: string;
  @Length(1, 3, { each: true }) @IsArray() @ArrayMaxSize(3) tags!: string[];
}

class Typed {
  @Type(() => Date) @IsDate() @MaxDate(new Date('2030-01-01T00:00:00Z')) at!: Date;
  @Type(() => Number) @IsInt() @Min(0) retries!: number;
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value))
  @IsString()
  @MinLength(1)
  name!: string;
  @IsISO8601({ strict: true }) day!: string;
  @Allow() note?: unknown;
  @IsDefined() required!: unknown;
  @ValidateIf((o: Typed) => o.retries > 2) @IsString() reason?: string;
}

class Inner {
  @IsInt() value!: number;
}

class Nested {
  @IsString() id!: string;
  @ValidateNested() @Type(() => Inner) inner!: Inner;
}

const odd = fc.constantFrom(
  '',
  ' ',
  '1',
  '-0',
  '1e3',
  'NaN',
  'Infinity',
  'toString',
  '2025-02-30',
  '2025-03-07T10:15:00Z',
  '550e8400-e29b-41d4-a716-446655440000',
  'c5a3c4e6-9b8e-4f7e-8d0a-2f1b3c4d5e6f',
  'a@b.co',
  'C',
  'low',
  ' x ',
);
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  odd,
  fc.string({ maxLength: 12 }),
  fc.integer({ min: -200, max: 200 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(odd, fc.string({ maxLength: 4 }), fc.integer()), { maxLength: 5 }),
  fc.dictionary(fc.constantFrom('value', 'x'), fc.oneof(fc.integer(), fc.string({ maxLength: 3 }))),
);

/**
 * A value with the class's properties, each mostly valid (so that whole values are valid often
 * enough for the verdict to be tested both ways) and otherwise anything, or missing; and maybe keys
 * the class does not declare.
 */
function plainFor(valid: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>> {
  const properties = Object.fromEntries(
    Object.entries(valid).map(([property, arbitrary]) => [
      property,
      fc.oneof({ arbitrary, weight: 12 }, { arbitrary: anyValue, weight: 1 }),
    ]),
  );
  const keys = Object.keys(valid);
  return fc
    .tuple(
      fc.record(properties, { requiredKeys: keys }),
      fc.subarray(keys, { maxLength: 1 }),
      fc.dictionary(fc.constantFrom('extra', 'toString', 'hasOwnProperty', 'other'), anyValue, {
        maxKeys: 2,
      }),
    )
    .map(([values, missing, extra]) => {
      const plain: Record<string, unknown> = { ...extra, ...values };
      for (const key of missing) delete plain[key];
      return plain;
    });
}

const VALID: Record<string, Record<string, fc.Arbitrary<unknown>>> = {
  Scalars: {
    id: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
    temperature: fc.double({ min: -40, max: 125, noNaN: true }),
    count: fc.integer({ min: 1, max: 1000 }),
    enabled: fc.boolean(),
    unit: fc.constantFrom('C', 'F'),
    level: fc.constantFrom('low', 'high'),
    session: fc.uuid({ version: 4 }),
    owner: fc.constantFrom('a@b.co', 'ops@example.com'),
    code: fc.string({ minLength: 2, maxLength: 8 }),
    tags: fc.array(fc.string({ minLength: 1, maxLength: 3 }), { maxLength: 3 }),
  },
  Typed: {
    at: fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2031-01-01T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString()),
    retries: fc.oneof(fc.integer({ min: -1, max: 5 }), fc.constantFrom('3', ' 4 ')),
    name: fc.string({ maxLength: 6 }),
    day: fc.constantFrom('2025-03-07', '2025-03-07T10:15:00Z', '2025-02-30'),
    note: anyValue,
    required: fc.oneof(fc.integer(), fc.string({ maxLength: 3 })),
    reason: fc.string({ maxLength: 4 }),
  },
  Nested: {
    id: fc.string({ maxLength: 4 }),
    inner: fc.record({ value: fc.oneof(fc.integer(), fc.string({ maxLength: 2 })) }),
  },
};

function messages(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((e) => {
    const property = path ? `${path}.${e.property}` : e.property;
    return [
      ...Object.values(e.constraints ?? {}).map((c) => `${property}: ${c}`),
      ...messages(e.children ?? [], property),
    ];
  });
}

/** What class-transformer and class-validator make of the value: the instance, or the reasons. */
function reference(type: new () => object, plain: object): { instance: object } | { reasons: string } {
  const instance = plainToInstance(type, plain);
  const errors = validateSync(instance);
  return errors.length === 0 ? { instance } : { reasons: `invalid value: ${messages(errors).join('; ')}` };
}

function compiledVerdict(
  validator: RecordValidator,
  plain: object,
): { instance: object } | { reasons: string } {
  try {
    return { instance: validator.validateSync(plain) };
  } catch (err) {
    return { reasons: (err as Error).message };
  }
}

describe('RecordValidator, compiled, against class-transformer and class-validator', () => {
  it.each([
    ['scalars, patterns, enums, optional, each', Scalars, true],
    ['@Type to Date and Number, @Transform, @IsDefined, @ValidateIf', Typed, true],
    ['a nested class (not compiled: class-validator itself)', Nested, false],
  ])('%s: the same instance or the same reasons, for any value', (_, type, compiled) => {
    const validator = new RecordValidator(type as new () => object);
    expect(validator.compiled).toBe(compiled);
    const verdicts = { valid: 0, invalid: 0 };
    fc.assert(
      fc.property(plainFor(VALID[type.name]), fc.boolean(), (plain, throughJson) => {
        const value = throughJson ? (JSON.parse(JSON.stringify(plain)) as object) : plain;
        const expected = reference(type as new () => object, structuredClone(value));
        const actual = compiledVerdict(validator, structuredClone(value));
        expect(actual).toEqual(expected);
        if ('instance' in actual) expect(Object.getPrototypeOf(actual.instance)).toBe(type.prototype);
        verdicts['instance' in expected ? 'valid' : 'invalid']++;
      }),
      { numRuns: 3_000 },
    );
    // Both verdicts were put to the test, many times.
    expect(verdicts.valid).toBeGreaterThan(300);
    expect(verdicts.invalid).toBeGreaterThan(300);
  });
});
