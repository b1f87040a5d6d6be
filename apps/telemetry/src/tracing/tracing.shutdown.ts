import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { stopTracing } from './tracing.setup';

/** Sends the last spans once the listeners have stopped (the batch processor holds up to 5 s of them). */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return stopTracing();
  }
}
