import type * as ClassValidator from 'class-validator';
import type { ValidationArguments } from 'class-validator';

type ValidatedClass = new (...args: never[]) => object;
type MetadataStorage = ReturnType<typeof ClassValidator.getMetadataStorage>;
export type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type Instance = Record<string, unknown>;

interface ConstraintCheck {
  validate(value: unknown, args: ValidationArguments): unknown;
  /** Reused by every call: a record costs no allocation for it (the call is synchronous). */
  args: ValidationArguments;
  each: boolean;
}

interface PropertyChecks {
  property: string;
  conditions: ((object: object, value: unknown) => unknown)[];
  checks: ConstraintCheck[];
}

/**
 * class-validator's verdict on an instance, without its machinery: validateSync() looks the class's
 * metadata up, groups it and builds an error object per property on every call, which costs more
 * than the checks themselves. Compiled once from the same metadata, this calls the same constraint
 * functions with the same arguments in the same order (conditions, then constraints, `each` over
 * arrays, sets and maps) and only answers valid or not: the reasons of an invalid value come from
 * class-validator itself. Classes with what it does not cover (nested or promised values, async
 * constraints, `@IsDefined` beside a condition) are not compiled.
 */
export class ConstraintChecker {
  private constructor(private readonly properties: readonly PropertyChecks[]) {}

  /** `metadatas`: the class's, as validateSync(instance) looks them up. */
  static compile(
    validator: typeof ClassValidator,
    type: ValidatedClass,
    metadatas: readonly ValidationMetadata[],
  ): ConstraintChecker | undefined {
    const storage = validator.getMetadataStorage();
    const { ValidationTypes } = validator;
    // class-validator rejects a class without metadata as "an unknown value": leave it that verdict.
    if (metadatas.length === 0) return undefined;
    const byProperty = new Map<string, PropertyChecks>();
    const defined = new Set<string>();
    for (const metadata of metadatas) {
      const property = metadata.propertyName;
      let checks = byProperty.get(property);
      if (!checks) byProperty.set(property, (checks = { property, conditions: [], checks: [] }));
      switch (metadata.type) {
        case ValidationTypes.WHITELIST:
          break;
        case ValidationTypes.CONDITIONAL_VALIDATION:
          checks.conditions.push(metadata.constraints[0] as PropertyChecks['conditions'][number]);
          break;
        case ValidationTypes.IS_DEFINED:
          defined.add(property);
          if (!addConstraints(storage, type, metadata, checks)) return undefined;
          break;
        case ValidationTypes.CUSTOM_VALIDATION:
          if (!addConstraints(storage, type, metadata, checks)) return undefined;
          break;
        default:
          return undefined;
      }
    }
    // class-validator runs @IsDefined apart from the other constraints; its order against the
    // conditions has changed between versions.
    for (const property of defined) if (byProperty.get(property)!.conditions.length > 0) return undefined;
    return new ConstraintChecker([...byProperty.values()]);
  }

  passes(instance: object): boolean {
    const object = instance as Instance;
    for (const { property, conditions, checks } of this.properties) {
      const value = object[property];
      let validated = true;
      // Every condition runs, as in class-validator, which and-s all their results.
      for (const condition of conditions) validated = Boolean(condition(object, value)) && validated;
      if (!validated) continue;
      for (const check of checks) if (!passesCheck(check, object, value)) return false;
    }
    return true;
  }
}

function addConstraints(
  storage: MetadataStorage,
  type: ValidatedClass,
  metadata: ValidationMetadata,
  checks: PropertyChecks,
): boolean {
  for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
    if (constraint.async) return false;
    const instance = constraint.instance as { validate(value: unknown, args: ValidationArguments): unknown };
    checks.checks.push({
      validate: patternTest(metadata) ?? ((value, args) => instance.validate(value, args)),
      args: {
        targetName: type.name,
        property: metadata.propertyName,
        object: undefined as unknown as object,
        value: undefined,
        constraints: metadata.constraints,
      },
      each: metadata.each ?? false,
    });
  }
  return true;
}

/**
 * `@Matches(regexp)`: class-validator answers `!!value.match(regexp)`, which builds the match (an
 * array and a string per group) for every record. For a plain RegExp without the g or y flag,
 * `test()` gives the same answer without it.
 */
function patternTest(metadata: ValidationMetadata): ConstraintCheck['validate'] | undefined {
  const [pattern] = metadata.constraints ?? [];
  if (metadata.name !== 'matches' || !(pattern instanceof RegExp)) return undefined;
  if (Object.getPrototypeOf(pattern) !== RegExp.prototype || pattern.global || pattern.sticky)
    return undefined;
  return (value) => typeof value === 'string' && pattern.test(value);
}

/** A Promise from a constraint not declared async is not awaited by validateSync(): it passes. */
function passesCheck(check: ConstraintCheck, object: Instance, value: unknown): boolean {
  check.args.object = object;
  check.args.value = value;
  if (!check.each || !(Array.isArray(value) || value instanceof Set || value instanceof Map)) {
    const result = check.validate(value, check.args);
    return isPromise(result) || Boolean(result);
  }
  const results = [...(value instanceof Map ? value.values() : value)].map((item) =>
    check.validate(item, check.args),
  );
  return results.some(isPromise) || results.every(Boolean);
}

function isPromise(value: unknown): boolean {
  return (
    value !== null && typeof value === 'object' && typeof (value as Promise<unknown>).then === 'function'
  );
}
