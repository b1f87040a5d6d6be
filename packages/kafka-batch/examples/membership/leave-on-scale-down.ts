import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { KafkaListenerRegistry } from '@org/kafka-batch';

/** How many instances the deployment wants now: the telemetry app asks its StatefulSet. */
export abstract class DesiredInstances {
  abstract count(): Promise<number>;
}

/** Instance `<name>-<n>` leaves its groups when it stops beyond the count wanted, not on a restart. */
@Injectable()
export class LeaveOnScaleDown implements OnApplicationBootstrap {
  constructor(
    private readonly registry: KafkaListenerRegistry,
    private readonly desired: DesiredInstances,
  ) {}

  onApplicationBootstrap(): void {
    const ordinal = Number(/-(\d+)$/.exec(process.env.POD_NAME ?? '')?.[1]);
    if (Number.isNaN(ordinal)) return;
    // Asked as the application shuts down, once the scale-down has lowered the count.
    this.registry.leaveGroupOnShutdown(async () => ordinal >= (await this.desired.count()));
  }
}
