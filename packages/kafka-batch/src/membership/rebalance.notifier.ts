import type { LoggerService } from '@nestjs/common';
import type { Clock } from '../common/clock';
import { withTimeout } from '../common/with-timeout';
import type { KafkaRebalanceListener } from './rebalance-listener.interface';

type Hook = keyof KafkaRebalanceListener;

/** Calls the listener's hooks, each bounded by a timeout; failures are logged, never thrown. */
export class RebalanceNotifier {
  constructor(
    private readonly listener: KafkaRebalanceListener | undefined,
    private readonly timeoutMs: number,
    private readonly clock: Clock,
    private readonly logger: LoggerService,
  ) {}

  async notify<H extends Hook>(
    hook: H,
    partitions: Parameters<NonNullable<KafkaRebalanceListener[H]>>[0],
  ): Promise<void> {
    const call = this.listener?.[hook] as ((p: typeof partitions) => unknown) | undefined;
    if (!call) return;
    try {
      const outcome = await withTimeout(
        (async () => call.call(this.listener, partitions))(),
        this.timeoutMs,
        this.clock,
      );
      if (outcome.timedOut)
        this.logger.warn(`rebalance listener ${hook} did not finish within ${this.timeoutMs} ms; continuing`);
    } catch (err) {
      this.logger.error(`rebalance listener ${hook} failed: ${(err as Error).message}`);
    }
  }
}
