import { Injectable } from '@nestjs/common';
import { BatchListener, KafkaBatch } from '@org/kafka-batch';

/** Yours: reference data that may arrive after the records that need it. */
export abstract class DeviceRegistry {
  abstract enrich(readings: readonly object[]): Promise<void>;
}

@Injectable()
export class EnrichmentListener {
  constructor(private readonly devices: DeviceRegistry) {}

  // Two attempts in place, then 10 s, 1 min and 10 min in retry topics, then readings.DLT.
  @BatchListener({
    topics: ['readings'],
    groupId: 'enrichment',
    retry: { attempts: 2 },
    retryTopics: { delaysMs: [10_000, 60_000, 600_000] },
  })
  async onReadings(batch: KafkaBatch<object>): Promise<void> {
    await this.devices.enrich(batch.values);
  }
}
