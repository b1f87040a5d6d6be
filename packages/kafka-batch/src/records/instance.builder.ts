import type * as ClassTransformer from 'class-transformer';

type ValidatedClass = new (...args: never[]) => object;
type Plain = Record<string, unknown>;

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
 * at a fraction of its cost. Compiled from the class's metadata once, for what the plan covers
 * (a property plain, or with `@Type()` to a primitive or Date, and `@Transform()`s); a class with
 * more (`@Expose`, `@Exclude`, nested types, discriminators) and a value whose declared property
 * holds an object or an array go through class-transformer itself.
 */
export class InstanceBuilder {
  private readonly plans: ReadonlyMap<string, PropertyPlan> | undefined;
  /** Names on the class's prototype without a setter (methods, getters): plainToInstance skips them. */
  private readonly unsettable: ReadonlySet<string>;

  constructor(
    private readonly type: ValidatedClass,
    private readonly declared: ReadonlySet<string>,
    private readonly transformer: typeof ClassTransformer,
  ) {
    const prototype = type.prototype as object;
    this.unsettable = new Set(
      Object.getOwnPropertyNames(prototype).filter(
        (name) => !Object.getOwnPropertyDescriptor(prototype, name)?.set,
      ),
    );
    this.plans = compilePlans(type, declared, transformerMetadata());
  }

  get compiled(): boolean {
    return this.plans !== undefined;
  }

  build(value: Plain): object {
    const plans = this.plans;
    if (plans === undefined || !primitivesWhereDeclared(value, this.declared)) return this.slowBuild(value);
    const instance = new (this.type as new () => Plain)();
    // for-in over own keys is Object.keys() without its array per record.
    for (const key in value) {
      if (!Object.hasOwn(value, key) || this.skips(key, instance)) continue;
      const plan = plans.get(key);
      let property = value[key];
      if (plan !== undefined) {
        if (plan.toType !== undefined && property !== null && property !== undefined)
          property = plan.toType(property);
        for (const transform of plan.transforms)
          property = transform({
            value: property,
            key,
            obj: value,
            type: PLAIN_TO_CLASS,
            options: TRANSFORM_OPTIONS,
          });
      }
      instance[key] = property;
    }
    return instance;
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

/** Objects and arrays in declared properties are class-transformer's (copies, nested types). */
function primitivesWhereDeclared(value: Plain, declared: ReadonlySet<string>): boolean {
  for (const key of declared) {
    const property = value[key];
    if (property !== null && typeof property === 'object') return false;
  }
  return true;
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
