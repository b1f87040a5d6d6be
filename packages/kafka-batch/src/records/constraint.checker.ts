import type * as ClassValidator from 'class-validator';
import type { ValidationArguments } from 'class-validator';
import { FunctionFactory, generateFunction, literal, newFunction } from './function.factory';

type ValidatedClass = new (...args: never[]) => object;
type MetadataStorage = ReturnType<typeof ClassValidator.getMetadataStorage>;
export type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type Instance = Record<string, unknown>;

interface ConstraintCheck {
  /** class-validator's constraint, as validateSync() calls it. */
  constraint: { validate(value: unknown, args: ValidationArguments): unknown };
  /** `@Matches` with a plain RegExp: tested without building the match (see patternOf). */
  pattern: RegExp | undefined;
  /** Reused by every call: a record costs no allocation for it (the call is synchronous). */
  args: ValidationArguments;
  each: boolean;
}

interface PropertyChecks {
  property: string;
  conditions: ((object: object, value: unknown) => unknown)[];
  checks: ConstraintCheck[];
}

type Passes = (object: Instance) => boolean;

/**
 * class-validator's verdict on an instance, without its machinery: validateSync() looks the class's
 * metadata up, groups it and builds an error object per property on every call, which costs more
 * than the checks themselves. Compiled once from the same metadata into one function of
 * straight-line code, this calls the same constraint functions with the same arguments in the same
 * order (conditions, then constraints, `each` over arrays, sets and maps) and only answers valid or
 * not: the reasons of an invalid value come from class-validator itself. Each call site of that
 * code sees one constraint, which V8 can inline; a loop over the checks saw them all.
 *
 * Classes with what it does not cover (nested or promised values, async constraints, `@IsDefined`
 * beside a condition) are not compiled, nor any where code cannot be generated: class-validator
 * checks those.
 */
export class ConstraintChecker {
  private constructor(readonly passes: (instance: object) => boolean) {}

  /** `metadatas`: the class's, as validateSync(instance) looks them up. */
  static compile(
    validator: typeof ClassValidator,
    type: ValidatedClass,
    metadatas: readonly ValidationMetadata[],
    makeFunction: FunctionFactory = newFunction,
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
    const passes = generate([...byProperty.values()], makeFunction);
    return passes && new ConstraintChecker(passes as (instance: object) => boolean);
  }
}

/**
 * The source refers to the metadata by position only (`p[1].checks[0]`); property names enter it
 * as JSON string literals.
 */
function generate(properties: readonly PropertyChecks[], makeFunction: FunctionFactory): Passes | undefined {
  const bindings: string[] = [];
  const body: string[] = [];
  properties.forEach(({ property, conditions, checks }, i) => {
    body.push(`v = o[${literal(property)}];`);
    const steps: string[] = [];
    checks.forEach(({ pattern, each }, j) => {
      const check = `k${i}_${j}`;
      const from = `p[${i}].checks[${j}]`;
      if (each) {
        bindings.push(`${check} = ${from}`);
        steps.push(`if (!passesEach(${check}, o, v)) return false;`);
      } else if (pattern) {
        bindings.push(`${check}r = ${from}.pattern`);
        steps.push(`if (!(typeof v === 'string' && ${check}r.test(v))) return false;`);
      } else {
        bindings.push(`${check}c = ${from}.constraint`, `${check}a = ${from}.args`);
        steps.push(
          `${check}a.object = o; ${check}a.value = v;`,
          `if (!${check}c.validate(v, ${check}a)) return false;`,
        );
      }
    });
    if (conditions.length === 0) {
      body.push(...steps);
      return;
    }
    // Every condition runs, as in class-validator, which and-s all their results.
    body.push('ok = true;');
    conditions.forEach((_, j) => {
      bindings.push(`c${i}_${j} = p[${i}].conditions[${j}]`);
      body.push(`ok = Boolean(c${i}_${j}(o, v)) && ok;`);
    });
    body.push('if (ok) {', ...steps, '}');
  });
  return generateFunction<Passes>(makeFunction, {
    inputs: { p: properties, passesEach },
    bindings,
    lines: ['function passes(o) {', 'let v, ok;', ...body, 'return true;', '}'],
  });
}

function addConstraints(
  storage: MetadataStorage,
  type: ValidatedClass,
  metadata: ValidationMetadata,
  checks: PropertyChecks,
): boolean {
  for (const constraint of storage.getTargetValidatorConstraints(metadata.constraintCls)) {
    if (constraint.async) return false;
    checks.checks.push({
      constraint: constraint.instance as ConstraintCheck['constraint'],
      pattern: patternOf(metadata),
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
 * `typeof value === 'string' && regexp.test(value)` gives the same answer without it.
 */
function patternOf(metadata: ValidationMetadata): RegExp | undefined {
  const [pattern] = metadata.constraints ?? [];
  if (metadata.name !== 'matches' || !(pattern instanceof RegExp)) return undefined;
  if (Object.getPrototypeOf(pattern) !== RegExp.prototype || pattern.global || pattern.sticky)
    return undefined;
  return pattern;
}

/**
 * An `each` constraint: over the items of an array, a set or a map's values, else on the value. A
 * Promise from a constraint not declared async is not awaited by validateSync(): it passes.
 */
function passesEach(check: ConstraintCheck, object: Instance, value: unknown): boolean {
  check.args.object = object;
  check.args.value = value;
  if (!(Array.isArray(value) || value instanceof Set || value instanceof Map))
    return Boolean(passesOne(check, value));
  const results = [...(value instanceof Map ? value.values() : value)].map((item) => passesOne(check, item));
  return results.some(isPromise) || results.every(Boolean);
}

function passesOne(check: ConstraintCheck, value: unknown): unknown {
  if (check.pattern) return typeof value === 'string' && check.pattern.test(value);
  return check.constraint.validate(value, check.args);
}

function isPromise(value: unknown): boolean {
  return (
    value !== null && typeof value === 'object' && typeof (value as Promise<unknown>).then === 'function'
  );
}
