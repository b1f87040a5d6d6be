import type * as ClassTransformer from 'class-transformer';
import type * as ClassValidator from 'class-validator';
import type { ValidationError } from 'class-validator';

export class RecordValidationError extends Error {
  override readonly name = 'RecordValidationError';
}

type ValidatedClass = new (...args: never[]) => object;

interface ValidationPackages {
  transformer: typeof ClassTransformer;
  validator: typeof ClassValidator;
}

let packages: ValidationPackages | undefined;

/**
 * class-validator and class-transformer are optional peers: they are loaded when a listener sets
 * `validate`, never by importing the library.
 */
function validationPackages(): ValidationPackages {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use only */
  packages ??= {
    validator: require('class-validator') as typeof ClassValidator,
    transformer: require('class-transformer') as typeof ClassTransformer,
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  return packages;
}

/** Why `validate` cannot work in this installation, or undefined when it can. */
export function validationPackagesProblem(): string | undefined {
  try {
    validationPackages();
    return undefined;
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0];
    return `option "validate" needs the packages class-validator and class-transformer, which could not be loaded (${reason}): install them, e.g. npm install class-validator class-transformer`;
  }
}

/**
 * Turns a decoded value into a validated instance of the listener's `validate` class.
 *
 * `validateSync()` costs half of `validate()` per record, but it skips constraints declared
 * async and never awaits nested or promised values. It is used only when the class, as
 * `validate()` would see it, has none of those: the choice is made once, from class-validator's
 * metadata, so a record is never judged by a check that did not run.
 */
export class RecordValidator {
  readonly synchronous: boolean;
  private readonly packages = validationPackages();
  private readonly declared: ReadonlySet<string>;

  constructor(private readonly type: ValidatedClass) {
    this.synchronous = validatesSynchronously(this.packages.validator, type);
    this.declared = declaredProperties(this.packages.validator, type);
  }

  validateSync(value: unknown): object {
    const instance = this.toInstance(value);
    throwIfInvalid(this.packages.validator.validateSync(instance));
    return instance;
  }

  async validate(value: unknown): Promise<object> {
    const instance = this.toInstance(value);
    throwIfInvalid(await this.packages.validator.validate(instance));
    return instance;
  }

  private toInstance(value: unknown): object {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new RecordValidationError(
        `value must be a JSON object, got ${value === null ? 'null' : typeof value}`,
      );
    }
    const plain = value as Record<string, unknown>;
    const { plainToInstance } = this.packages.transformer;
    if (onlyDeclared(plain, this.declared)) return plainToInstance(this.type as new () => object, plain);
    const instance = plainToInstance(this.type as new () => object, declaredPart(plain, this.declared));
    return carryOverUndeclared(plain, this.declared, instance);
  }
}

/** Properties class-validator knows on the class (its decorators, inherited ones included). */
function declaredProperties(
  { getMetadataStorage }: typeof ClassValidator,
  type: ValidatedClass,
): Set<string> {
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(type, '', false, false);
  return new Set(metadatas.map((metadata) => metadata.propertyName));
}

/**
 * class-transformer dedupes a value's keys by a linear search per key: a value with many keys the
 * class does not declare costs quadratic time (80,000 extra keys, 8 s). Only declared properties
 * go through it; the others are carried over as decoded. The common value has no extra keys and
 * goes through as it is.
 */
function onlyDeclared(value: Record<string, unknown>, declared: ReadonlySet<string>): boolean {
  for (const key in value) if (!declared.has(key)) return false;
  return true;
}

function declaredPart(
  value: Record<string, unknown>,
  declared: ReadonlySet<string>,
): Record<string, unknown> {
  const part: Record<string, unknown> = {};
  for (const key of declared) if (Object.hasOwn(value, key)) part[key] = value[key];
  return part;
}

/** Except the names class-transformer drops too: `__proto__` would replace the instance's prototype. */
function carryOverUndeclared(
  value: Record<string, unknown>,
  declared: ReadonlySet<string>,
  instance: object,
): object {
  const target = instance as Record<string, unknown>;
  for (const key of Object.keys(value))
    if (!declared.has(key) && key !== '__proto__' && key !== 'constructor') target[key] = value[key];
  return instance;
}
/**
 * Nested objects are validated against their runtime class, which the metadata of this class does
 * not name; they and promised values keep the async path, as does any constraint declared async.
 */
function validatesSynchronously(
  { getMetadataStorage, ValidationTypes }: typeof ClassValidator,
  type: ValidatedClass,
): boolean {
  const storage = getMetadataStorage();
  // The arguments validate(instance) uses without options: no groups, `always` and `strictGroups` off.
  return storage.getTargetValidationMetadatas(type, '', false, false).every((metadata) => {
    if (metadata.type === ValidationTypes.NESTED_VALIDATION) return false;
    if (metadata.type === ValidationTypes.PROMISE_VALIDATION) return false;
    if (metadata.type !== ValidationTypes.CUSTOM_VALIDATION) return true;
    return storage.getTargetValidatorConstraints(metadata.constraintCls).every((c) => !c.async);
  });
}

function throwIfInvalid(errors: ValidationError[]): void {
  if (errors.length > 0) throw new RecordValidationError(`invalid value: ${flatten(errors).join('; ')}`);
}

function flatten(errors: ValidationError[], path = ''): string[] {
  return errors.flatMap((e) => {
    const property = path ? `${path}.${e.property}` : e.property;
    return [
      ...Object.values(e.constraints ?? {}).map((c) => `${property}: ${c}`),
      ...flatten(e.children ?? [], property),
    ];
  });
}
