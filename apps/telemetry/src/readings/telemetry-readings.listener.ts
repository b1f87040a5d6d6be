import { Injectable } from '@nestjs/common';
import { Batch, BatchListener, BatchListenerOptions, BatchTransaction, KafkaBatch } from '@org/kafka-batch';
import type { EntityManager } from 'typeorm';
import { TelemetryMetrics } from '../metrics/telemetry.metrics';
import { ReadingDto } from './reading.dto';
import { TelemetryReadingsWriter } from './telemetry-readings.writer';

/** The name health checks, metrics and the registry know this listener by. */
export const READINGS_LISTENER_ID = 'telemetry-readings';

/** How readings are consumed; the end-to-end benchmark measures this handler with the same settings. */
export const READINGS_LISTENER_OPTIONS = {
  maxPollRecords: 500,
  // The per-minute counts are increments: a batch stored twice would count twice. In this mode the
  // batch's offsets are stored in its transaction, so each batch is stored exactly once.
  exactlyOnce: true,
  validate: ReadingDto,
  // A database outage is a transient failure to the library: the batch comes back after a
  // growing pause (up to 30 s here) for as long as it lasts, and is never dead-lettered. Any
  // other failure is retried, then bisected down to the readings the database rejects.
  retry: { maxDelayMs: 30_000 },
  // The broker holds a fetch until it has fetchMinBytes (1 MiB) or this long. At the seed's load
  // 1 MiB takes longer than the default 500 ms, which then was most of a reading's latency (A/B in
  // bench/README.md); a backlog fills 1 MiB at once, so throughput does not change.
  fetchMaxWaitMs: 100,
} satisfies BatchListenerOptions;

/**
 * Readings from Kafka into PostgreSQL. Invalid readings never get here: the library validates
 * every value against ReadingDto and dead-letters the failures with the reason. The handler
 * writes in the library's transaction, which commits the batch's offsets with the rows.
 */
@Injectable()
export class TelemetryReadingsListener {
  constructor(
    private readonly writer: TelemetryReadingsWriter,
    private readonly metrics: TelemetryMetrics,
  ) {}

  // The topic, group, concurrency and shutdown timeout come from the configuration, through the
  // module's options for this listener id (app.module.ts).
  @BatchListener({ id: READINGS_LISTENER_ID, ...READINGS_LISTENER_OPTIONS })
  async onReadings(
    @Batch() batch: KafkaBatch<ReadingDto>,
    @BatchTransaction() transaction: EntityManager,
  ): Promise<void> {
    const started = performance.now();
    try {
      const result = await this.writer.write(batch.values, transaction);
      this.metrics.recordBatch(result, (performance.now() - started) / 1000);
    } catch (err) {
      this.metrics.recordFailedBatch();
      throw err;
    }
  }
}
