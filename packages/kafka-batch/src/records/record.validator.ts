import { plainToInstance } from 'class-transformer';
import {
  getMetadataStorage,
  validate,
  ValidationError,
  ValidationTypes,
  validateSync,
} from 'class-validator';

export class RecordValidationError extends Error {
  override readonly name = 'RecordValidationError';
}

type ValidatedClass = new (...args: never[]) => object;

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

  constructor(private readonly type: ValidatedClass) {
    this.synchronous = validatesSynchronously(type);
  }

  validateSync(value: unknown): object {
    const instance = this.toInstance(value);
    throwIfInvalid(validateSync(instance));
    return instance;
  }

  async validate(value: unknown): Promise<object> {
    const instance = this.toInstance(value);
    throwIfInvalid(await validate(instance));
    return instance;
  }

  private toInstance(value: unknown): object {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new RecordValidationError(
        `value must be a JSON object, got ${value === null ? 'null' : typeof value}`,
      );
    }
    return plainToInstance(this.type as new () => object, value);
  }
}

/**
 * Nested objects are validated against their runtime class, which the metadata of this class does
 * not name; they and promised values keep the async path, as does any constraint declared async.
 */
function validatesSynchronously(type: ValidatedClass): boolean {
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
