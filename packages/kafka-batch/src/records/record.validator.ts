import type * as ClassTransformer from 'class-transformer';
import type * as ClassValidator from 'class-validator';
import type { ValidationError } from 'class-validator';
import { ConstraintChecker, ValidationMetadata } from './constraint.checker';
import { InstanceBuilder } from './instance.builder';

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
  private readonly builder: InstanceBuilder;
  /** class-validator's verdict at a fraction of its cost, for the classes it covers. */
  private readonly checker: ConstraintChecker | undefined;

  constructor(private readonly type: ValidatedClass) {
    const { validator, transformer } = this.packages;
    // The arguments validate(instance) uses without options: no groups, `always` and `strictGroups` off.
    const metadatas = validator.getMetadataStorage().getTargetValidationMetadatas(type, '', false, false);
    this.synchronous = validatesSynchronously(validator, metadatas);
    const declared = new Set(metadatas.map((metadata) => metadata.propertyName));
    this.builder = new InstanceBuilder(type, declared, transformer);
    this.checker = this.synchronous ? ConstraintChecker.compile(validator, type, metadatas) : undefined;
  }

  /** Built and checked by compiled code when it covers the class; the reasons of a failure are class-validator's. */
  get compiled(): boolean {
    return this.builder.compiled && this.checker !== undefined;
  }

  validateSync(value: unknown): object {
    const instance = this.toInstance(value);
    if (this.checker?.passes(instance)) return instance;
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
    return this.builder.build(value as Record<string, unknown>);
  }
}

/**
 * Nested objects are validated against their runtime class, which the metadata of this class does
 * not name; they and promised values keep the async path, as does any constraint declared async.
 */
function validatesSynchronously(
  { getMetadataStorage, ValidationTypes }: typeof ClassValidator,
  metadatas: readonly ValidationMetadata[],
): boolean {
  const storage = getMetadataStorage();
  return metadatas.every((metadata) => {
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
