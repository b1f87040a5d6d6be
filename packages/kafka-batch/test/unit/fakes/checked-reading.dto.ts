import { Validate, ValidatorConstraint, ValidatorConstraintInterface } from 'class-validator';

/** An async constraint, as a lookup in a device registry would be. */
@ValidatorConstraint({ name: 'knownDevice', async: true })
class KnownDevice implements ValidatorConstraintInterface {
  async validate(deviceId: unknown): Promise<boolean> {
    await new Promise((resolve) => setImmediate(resolve));
    return deviceId !== 'unknown';
  }
  defaultMessage(): string {
    return 'deviceId is not a known device';
  }
}

/** A DTO whose only check is async: deviceId 'unknown' fails it. */
export class CheckedReading {
  @Validate(KnownDevice) deviceId!: string;
}
