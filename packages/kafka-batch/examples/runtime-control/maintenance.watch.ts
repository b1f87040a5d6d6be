import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { KafkaListenerRegistry } from '@org/kafka-batch';

/** Yours: whatever says a maintenance window is under way (a row, a feature flag, a file). */
export abstract class MaintenanceWindow {
  abstract underway(): Promise<boolean>;
}

@Injectable()
export class DatabaseMaintenanceWatch implements OnModuleInit, OnModuleDestroy {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly registry: KafkaListenerRegistry,
    private readonly maintenance: MaintenanceWindow,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.check(), 5_000);
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  private async check(): Promise<void> {
    // A flag that cannot be read is no maintenance: an outage is the retry policy's business.
    const underway = await this.maintenance.underway().catch(() => false);
    if (underway) this.registry.pause('telemetry-readings');
    else this.registry.resume('telemetry-readings');
  }
}
