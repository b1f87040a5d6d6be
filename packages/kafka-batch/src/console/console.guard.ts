import {
  CanActivate,
  ExecutionContext,
  ForbiddenException,
  Inject,
  Injectable,
  Optional,
} from '@nestjs/common';
import {
  KAFKA_BATCH_CONSOLE_GUARD,
  KAFKA_BATCH_CONSOLE_OPTIONS,
  ResolvedConsoleOptions,
} from './console.options';

/** The application's guard first; then, in read-only mode, nothing but reads. */
@Injectable()
export class ConsoleGuard implements CanActivate {
  constructor(
    @Inject(KAFKA_BATCH_CONSOLE_OPTIONS) private readonly options: ResolvedConsoleOptions,
    @Optional() @Inject(KAFKA_BATCH_CONSOLE_GUARD) private readonly applicationGuard?: CanActivate,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.applicationGuard && !(await this.applicationGuard.canActivate(context))) return false;
    const { method } = context.switchToHttp().getRequest<{ method: string }>();
    if (this.options.readOnly && method !== 'GET' && method !== 'HEAD')
      throw new ForbiddenException('the Kafka batch console is read-only');
    return true;
  }
}
