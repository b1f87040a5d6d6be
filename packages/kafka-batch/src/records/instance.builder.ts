import type * as ClassTransformer from 'class-transformer';
import { FunctionFactory, generateFunction, literal, newFunction } from './function.factory';

type ValidatedClass = new (...args: never[]) => object;
type Plain = Record<string, unknown>;
type Build = (value: Plain) => object;

/** What class-transformer's metadata storage offers; loaded from its build, see `transformerMetadata`. */
interface TransformerMetadata {
  getStrategy(target: object): string;
  getExposedMetadatas(target: object): unknown[];
  getExcludedMetadatas(target: object): unknown[];
  findTypeMetadata(
    target: object,
    property: string,
  ): { typeFunction?: (options?: unknown) => unknown; options?: { discriminator?: unknown } } | undefined;
  findTransformMetadatas(
    target: object,
    property: string,
    transformationType: number,
  ): { transformFn: (params: object) => unknown; options?: { groups?: string[] } }[];
}

/** class-transformer's TransformationType.PLAIN_TO_CLASS. */
const PLAIN_TO_CLASS = 0;
/** The options plainToInstance(type, value) runs with: class-transformer's defaults. */
const TRANSFORM_OPTIONS = Object.freeze({
  enableCircularCheck: false,
  enableImplicitConversion: false,
  excludeExtraneousValues: false,
  excludePrefixes: undefined,
  exposeDefaultValues: false,
  exposeUnsetFields: true,
  groups: undefined,
  ignoreDecorators: false,
  strategy: undefined,
  targetMaps: undefined,
  version: undefined,
});

/** How plainToInstance turns a primitive for a `@Type()`; undefined: as it is. */
const PRIMITIVE_TYPES = new Map<unknown, (value: unknown) => unknown>([
  [String, String],
  [Number, Number],
  [Boolean, Boolean],
  [Date, (value) => new Date(value as string | number)],
]);

interface PropertyPlan {
  toType: ((value: unknown) => unknown) | undefined;
  transforms: ((params: object) => unknown)[];
}

/**
 * Builds a DTO instance from a decoded value exactly as class-transformer's plainToInstance would,
 * at a fraction of its cost. Compiled from the class's metadata once into one function, for what
 * the plan covers (a property plain, or with `@Type()` to a primitive or Date, and `@Transform()`s):
 * each declared property is read, converted and set by code of its own, which V8 keeps
 * monomorphic. A class with more (`@Expose`, `@Exclude`, nested types, discriminators), one where
 * code cannot be generated, and a value whose declared property holds an object or an array go
 * through class-transformer itself.
 */
export class InstanceBuilder {
  private readonly compiledBuild: Build | undefined;
  /** Names on the class's prototype without a setter (methods, getters): plainToInstance skips them. */
  private readonly unsettable: ReadonlySet<string>;

  constructor(
    private readonly type: ValidatedClass,
    private readonly declared: ReadonlySet<string>,
    private readonly transformer: typeof ClassTransformer,
    makeFunction: FunctionFactory = newFunction,
  ) {
    const prototype = type.prototype as object;
    this.unsettable = new Set(
      Object.getOwnPropertyNames(prototype).filter(
        (name) => !Object.getOwnPropertyDescriptor(prototype, name)?.set,
      ),
    );
    const plans = compilePlans(type, declared, transformerMetadata());
    this.compiledBuild = plans && this.generate(plans, makeFunction);
  }

  get compiled(): boolean {
    return this.compiledBuild !== undefined;
  }

  build(value: Plain): object {
    return this.compiledBuild ? this.compiledBuild(value) : this.slowBuild(value);
  }

  /**
   * plainToInstance's loop over the value's own keys, in their order, with a case per declared
   * property that plainToInstance would set; other keys take the general way. The source refers to
   * plans by position and names properties by JSON string literals.
   */
  private generate(
    plans: ReadonlyMap<string, PropertyPlan>,
    makeFunction: FunctionFactory,
  ): Build | undefined {
    const planned = [...plans];
    const bindings: string[] = [];
    const primitives: string[] = [];
    const cases: string[] = [];
    planned.forEach(([property, { toType, transforms }], i) => {
      const name = literal(property);
      primitives.push(`p = value[${name}];`, "if (p !== null && typeof p === 'object') return slow(value);");
      if (property === '__proto__' || this.unsettable.has(property)) return;
      cases.push(
        `case ${name}:`,
        `if (instance[${name}] instanceof Function) continue;`,
        `p = value[${name}];`,
      );
      if (toType) {
        bindings.push(`t${i} = plans[${i}][1].toType`);
        cases.push(`if (p !== null && p !== undefined) p = t${i}(p);`);
      }
      transforms.forEach((_, j) => {
        bindings.push(`x${i}_${j} = plans[${i}][1].transforms[${j}]`);
        cases.push(
          `p = x${i}_${j}({ value: p, key: ${name}, obj: value, type: ${PLAIN_TO_CLASS}, options });`,
        );
      });
      cases.push(`instance[${name}] = p;`, 'continue;');
    });
    return generateFunction<Build>(makeFunction, {
      inputs: {
        Type: this.type,
        plans: planned,
        slow: (value: Plain) => this.slowBuild(value),
        skips: (key: string, instance: Plain) => this.skips(key, instance),
        options: TRANSFORM_OPTIONS,
      },
      bindings,
      lines: [
        'function build(value) {',
        'let p;',
        ...primitives,
        'const instance = new Type();',
        'for (const key in value) {',
        'if (!Object.hasOwn(value, key)) continue;',
        'switch (key) {',
        ...cases,
        'default:',
        'if (skips(key, instance)) continue;',
        'instance[key] = value[key];',
        '}',
        '}',
        'return instance;',
        '}',
      ],
    });
  }

  /**
   * class-transformer on the declared properties only: it dedupes a value's keys by a linear search
   * per key, so a value with many keys the class does not declare would cost quadratic time (80,000
   * extra keys, 8 s). The others are carried over as decoded.
   */
  private slowBuild(value: Plain): object {
    const { plainToInstance } = this.transformer;
    const type = this.type as new () => object;
    if (onlyDeclared(value, this.declared)) return plainToInstance(type, value);
    const instance = plainToInstance(type, declaredPart(value, this.declared)) as Plain;
    for (const key of Object.keys(value))
      if (!this.declared.has(key) && !this.skips(key, instance)) instance[key] = value[key];
    return instance;
  }

  /** The keys plainToInstance never sets (`__proto__` would replace the prototype). */
  private skips(key: string, instance: Plain): boolean {
    return key === '__proto__' || this.unsettable.has(key) || instance[key] instanceof Function;
  }
}

/** class-transformer's storage, from its CommonJS build (not part of its typed API): none when absent. */
function transformerMetadata(): TransformerMetadata | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- optional peer, internal module
    return (require('class-transformer/cjs/storage') as { defaultMetadataStorage: TransformerMetadata })
      .defaultMetadataStorage;
  } catch {
    return undefined;
  }
}

function compilePlans(
  type: ValidatedClass,
  declared: ReadonlySet<string>,
  metadata: TransformerMetadata | undefined,
): Map<string, PropertyPlan> | undefined {
  if (metadata === undefined || metadata.getStrategy(type) !== 'none') return undefined;
  if (metadata.getExposedMetadatas(type).length > 0 || metadata.getExcludedMetadatas(type).length > 0)
    return undefined;
  const plans = new Map<string, PropertyPlan>();
  for (const property of declared) {
    const typed = metadata.findTypeMetadata(type, property);
    let toType: PropertyPlan['toType'];
    if (typed !== undefined) {
      if (typed.options?.discriminator !== undefined || typed.typeFunction === undefined) return undefined;
      const target = typeOf(typed.typeFunction);
      if (!PRIMITIVE_TYPES.has(target)) return undefined;
      toType = PRIMITIVE_TYPES.get(target);
    }
    const transforms = metadata
      .findTransformMetadatas(type, property, PLAIN_TO_CLASS)
      .filter((m) => !m.options?.groups?.length)
      .map((m) => m.transformFn);
    plans.set(property, { toType, transforms });
  }
  return plans;
}

/** A type function that reads its arguments (a discriminating one) is not one the plan can fix. */
function typeOf(typeFunction: (options?: unknown) => unknown): unknown {
  try {
    return typeFunction();
  } catch {
    return undefined;
  }
}

function onlyDeclared(value: Plain, declared: ReadonlySet<string>): boolean {
  for (const key in value) if (!declared.has(key)) return false;
  return true;
}

function declaredPart(value: Plain, declared: ReadonlySet<string>): Plain {
  const part: Plain = {};
  for (const key of declared) if (Object.hasOwn(value, key)) part[key] = value[key];
  return part;
}
