import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * A date at most `skewMs` ahead of this process's clock: a device clock further ahead is broken.
 * The same check as `@MaxDate(() => new Date(Date.now() + skewMs))`, without a Date per reading.
 */
export function NotAheadOfClock(skewMs: number, validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'notAheadOfClock',
      constraints: [skewMs],
      validator: { validate: (value) => value instanceof Date && value.getTime() <= Date.now() + skewMs },
    },
    validationOptions,
  );
}
