import { CanActivate, ExecutionContext, Injectable, Module } from '@nestjs/common';
import { KafkaBatchConsoleModule } from '@org/kafka-batch/console';

/** Yours: whatever your application trusts (a session, an SSO header set by the ingress, …). */
@Injectable()
export class OperatorsOnly implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    return request.headers['x-forwarded-groups']?.split(',').includes('kafka-operators') ?? false;
  }
}

@Module({
  imports: [KafkaBatchConsoleModule.forRoot({ path: 'ops/kafka', guard: OperatorsOnly, readOnly: false })],
})
export class OpsModule {}
