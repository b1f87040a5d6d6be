import type { Logger } from '@nestjs/common';
import type { KafkaRebalanceListener } from './rebalance-listener.interface';

type Hook = keyof KafkaRebalanceListener;

/** Calls the listener's hooks, each bounded by a timeout; failures are logged, never thrown. */
export class RebalanceNotifier {
  constructor(
    private readonly listener: KafkaRebalanceListener | undefined,
    private readonly timeoutMs: number,
    private readonly logger: Logger,
  ) {}

  async notify<H extends Hook>(
    hook: H,
    partitions: Parameters<NonNullable<KafkaRebalanceListener[H]>>[0],
  ): Promise<void> {
    const call = this.listener?.[hook] as ((p: typeof partitions) => unknown) | undefined;
    if (!call) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>(
      (resolve) => (timer = setTimeout(() => resolve('timeout'), this.timeoutMs)),
    );
    try {
      const outcome = await Promise.race([Promise.resolve(call.call(this.listener, partitions)), timeout]);
      if (outcome === 'timeout')
        this.logger.warn(`rebalance listener ${hook} did not finish within ${this.timeoutMs} ms; continuing`);
    } catch (err) {
      this.logger.error(`rebalance listener ${hook} failed: ${(err as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}
