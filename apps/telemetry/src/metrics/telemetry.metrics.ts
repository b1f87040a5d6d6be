import { Injectable } from '@nestjs/common';
import { Counter, Histogram, register } from 'prom-client';
import type { ReadingsWriteResult } from '../readings/telemetry-readings.writer';

/**
 * The application's own series, on prom-client's default registry next to the process metrics
 * and the library's consumer metrics. Reused when already registered: tests start several
 * applications in one process, and the registry is global.
 */
@Injectable()
export class TelemetryMetrics {
  private readonly readingsStored = counter(
    'telemetry_readings_stored_total',
    'Readings written to telemetry_readings (a redelivered reading counts again)',
  );
  private readonly readingsSkipped = counter(
    'telemetry_readings_duplicate_in_batch_total',
    'Readings dropped because a later reading of the same device and time was in the same batch',
  );
  private readonly devicesUpdated = counter(
    'telemetry_device_latest_updates_total',
    'Rows written to device_latest',
  );
  private readonly failedBatches = counter(
    'telemetry_batch_write_failures_total',
    'Batches whose database write failed and that were handed back for redelivery',
  );
  private readonly batchSeconds =
    (register.getSingleMetric('telemetry_batch_write_seconds') as Histogram | undefined) ??
    new Histogram({
      name: 'telemetry_batch_write_seconds',
      help: 'Time of the statement that writes one batch (its transaction commits after it)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    });

  recordBatch(result: ReadingsWriteResult, seconds: number): void {
    this.readingsStored.inc(result.readingsWritten);
    this.readingsSkipped.inc(result.duplicatesInBatch);
    this.devicesUpdated.inc(result.devicesUpdated);
    this.batchSeconds.observe(seconds);
  }

  recordFailedBatch(): void {
    this.failedBatches.inc();
  }
}

function counter(name: string, help: string): Counter {
  return (register.getSingleMetric(name) as Counter | undefined) ?? new Counter({ name, help });
}
