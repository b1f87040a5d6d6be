import { Catch, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';

/**
 * Hands a handler's error to the listener as it was thrown. Nest's default RPC filter replaces
 * every error that is not an RpcException with `{ message: 'Internal server error' }`: the
 * listener could then neither tell an outage (delivered again until it ends) from a bad record
 * (retried, then dead-lettered), nor put the real reason in the dead letter.
 *
 *     app.useGlobalFilters(new KafkaBatchExceptionFilter());
 *     app.connectMicroservice({ strategy }, { inheritAppConfig: true }); // a hybrid application
 */
@Catch()
export class KafkaBatchExceptionFilter implements RpcExceptionFilter<unknown> {
  catch(exception: unknown): Observable<never> {
    return throwError(() => exception);
  }
}
