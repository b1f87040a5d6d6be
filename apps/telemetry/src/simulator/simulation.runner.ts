import { ensureTopic } from '../kafka/readings-topic';
import { ProgressBar } from './progress.bar';
import { ReadingGenerator, ReadingKind, SimulatedReading } from './reading.generator';
import { ReadingsProducer } from './readings.producer';
import { inBurst, recordsDue } from './simulation.pacer';
import type { SimulatorOptions } from './simulator.options';

export interface SimulationSummary {
  /** Records handed to the producer. */
  sent: number;
  /** Records the broker confirmed (acks=all). */
  delivered: number;
  errors: number;
  lastError?: string;
  /** By kind: `valid` readings are each a distinct (device, timestamp); `duplicate` resends one. */
  kinds: Record<ReadingKind, number>;
  seconds: number;
  /** Confirmed records per second over the run. */
  rate: number;
}

export interface SimulationHooks {
  /** Called for every record handed to the producer (tests keep what they need to compare). */
  onRecord?: (reading: SimulatedReading) => void;
  /** Aborting stops sending; what was sent is still confirmed and counted. */
  signal?: AbortSignal;
  progress?: ProgressBar;
}

/** How often the loop yields to the event loop, so delivery reports and timers run. */
const SLICE_MS = 10;
const MAX_PER_SLICE = 5_000;

export async function runSimulation(
  options: SimulatorOptions,
  hooks: SimulationHooks = {},
): Promise<SimulationSummary> {
  await ensureTopic({
    bootstrap: options.bootstrap,
    topic: options.topic,
    partitions: options.partitions,
    rdkafka: options.rdkafka,
    clientId: 'telemetry-simulator-admin',
  });
  const generator = new ReadingGenerator({
    devices: options.devices,
    seed: options.seed,
    invalidRatio: options.invalidRatio,
    duplicateRatio: options.duplicateRatio,
    // A backlog is readings that piled up while nobody consumed: one round per minute, ending now.
    timeline:
      options.mode === 'backlog'
        ? Date.now() - Math.ceil((options.count ?? options.devices) / options.devices) * 60_000
        : 'clock',
  });
  const producer = new ReadingsProducer({
    bootstrap: options.bootstrap,
    topic: options.topic,
    rdkafka: options.rdkafka,
  });
  await producer.connect();

  const kinds: Record<ReadingKind, number> = { valid: 0, invalid: 0, duplicate: 0 };
  const limit = options.count ?? Infinity;
  const endMs = options.durationSeconds === undefined ? Infinity : options.durationSeconds * 1000;
  const started = performance.now();
  let sent = 0;
  // Every n-th reading is traced: a steady share, the same readings in every run.
  const tracedEvery = options.traceRatio > 0 ? Math.max(1, Math.round(1 / options.traceRatio)) : 0;
  let pending: SimulatedReading | undefined; // generated but refused by a full queue
  const elapsed = () => performance.now() - started;

  while (sent < limit && elapsed() < endMs && !hooks.signal?.aborted) {
    const due = Math.min(limit, recordsDue(options, elapsed()), sent + MAX_PER_SLICE);
    while (sent < due) {
      const reading = pending ?? generator.next();
      if (!producer.send(reading.key, reading.value, tracedEvery > 0 && sent % tracedEvery === 0)) {
        pending = reading;
        break;
      }
      pending = undefined;
      kinds[reading.kind]++;
      sent++;
      hooks.onRecord?.(reading);
    }
    hooks.progress?.update({
      sent,
      delivered: producer.delivered,
      errors: producer.failed,
      elapsedMs: elapsed(),
      fraction: Number.isFinite(limit)
        ? sent / limit
        : Number.isFinite(endMs)
          ? elapsed() / endMs
          : undefined,
      burst: inBurst(options, elapsed()),
    });
    await new Promise((resolve) => setTimeout(resolve, SLICE_MS));
  }

  try {
    await producer.drain();
  } finally {
    hooks.progress?.finish();
    await producer.disconnect();
  }
  const seconds = elapsed() / 1000;
  return {
    sent,
    delivered: producer.delivered,
    errors: producer.failed,
    lastError: producer.lastError,
    kinds,
    seconds,
    rate: producer.delivered / seconds,
  };
}

export function formatSummary(summary: SimulationSummary): string {
  const n = (v: number) => Math.round(v).toLocaleString('en-US');
  return [
    `sent      ${n(summary.sent)} (valid ${n(summary.kinds.valid)}, duplicates ${n(summary.kinds.duplicate)}, invalid ${n(summary.kinds.invalid)})`,
    `confirmed ${n(summary.delivered)} in ${summary.seconds.toFixed(1)} s = ${n(summary.rate)}/s`,
    `errors    ${n(summary.errors)}${summary.lastError ? ` (last: ${summary.lastError})` : ''}`,
  ].join('\n');
}
