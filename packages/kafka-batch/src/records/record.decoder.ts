import type { ResolvedListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { KafkaRecord } from '../interfaces/kafka-record.interface';
import type { RawRecord } from '../interfaces/raw-record.interface';
import { EventLoopSlicer, timeSlicer } from '../common/event-loop.slicer';
import { RecordValidator } from './record.validator';
import { checkValueBytes, checkValueShape, ValueLimitError } from './value.limits';

/** A record that could not be turned into a handler value, and why. */
export interface UndecodableRecord {
  raw: RawRecord;
  reason: Error;
}

export class DeserializationError extends Error {
  override readonly name = 'DeserializationError';
}

const NO_HEADERS: readonly [string, Buffer][] = Object.freeze([]);
const NO_HEADER_MAP: Readonly<Record<string, Buffer>> = Object.freeze({});

function headerEntries(raw: RawRecord): readonly [string, Buffer][] {
  // Most telemetry records carry no headers: share one empty list instead of allocating per record.
  if (!raw.headers || raw.headers.length === 0) return NO_HEADERS;
  const entries: [string, Buffer][] = [];
  for (const header of raw.headers ?? []) {
    for (const [name, value] of Object.entries(header))
      entries.push([name, Buffer.isBuffer(value) ? value : Buffer.from(value)]);
  }
  return entries;
}

/** Longest stretch of decoding between two turns of the event loop: probes must answer meanwhile. */
export const DECODE_SLICE_MS = 10;

/** A batch's records: values for the handler, and those set aside with the reason. */
export interface DecodedRecords {
  records: KafkaRecord[];
  undecodable: UndecodableRecord[];
}

/**
 * Decodes (and optionally validates) raw records into the values handlers receive. Every record
 * is bounded by the value limits, and the batch is worked through in slices of the event loop: a
 * batch of large values keeps probes answered and a stop prompt.
 */
export class RecordDecoder {
  private readonly validator: RecordValidator | undefined;

  constructor(
    private readonly options: Pick<ResolvedListenerOptions, 'deserializer' | 'validate' | 'valueLimits'>,
    private readonly slicer: EventLoopSlicer = timeSlicer(DECODE_SLICE_MS, Date.now),
  ) {
    this.validator = options.validate ? new RecordValidator(options.validate) : undefined;
  }

  /** 'interrupted' when `stopped()` turned true while the batch was being decoded: none of it is done. */
  async decode(
    raws: readonly RawRecord[],
    stopped: () => boolean = () => false,
  ): Promise<DecodedRecords | 'interrupted'> {
    const decoded: DecodedRecords = { records: [], undecodable: [] };
    // Async validations run side by side; their results are put in order at the end.
    const validations: Promise<KafkaRecord | UndecodableRecord>[] = [];
    for (const raw of raws) {
      if (this.slicer.due()) {
        await this.slicer.pause();
        if (stopped()) return 'interrupted';
      }
      const validation = this.decodeInto(decoded, raw);
      if (validation !== undefined) validations.push(validation);
    }
    for (const settled of await Promise.all(validations)) {
      if ('reason' in settled) decoded.undecodable.push(settled);
      else decoded.records.push(settled);
    }
    return decoded;
  }

  /** Adds the record to `decoded`, or returns its async validation, whose result is added in order later. */
  private decodeInto(
    { records, undecodable }: DecodedRecords,
    raw: RawRecord,
  ): Promise<KafkaRecord | UndecodableRecord> | undefined {
    let value: unknown;
    try {
      checkValueBytes(raw.value, this.options.valueLimits);
      value = this.deserialize(raw);
    } catch (err) {
      if (err instanceof ValueLimitError) undecodable.push({ raw, reason: err });
      else {
        const reason = `cannot deserialize value as ${this.deserializerName}: ${(err as Error).message}`;
        undecodable.push({ raw, reason: new DeserializationError(reason) });
      }
      return undefined;
    }
    const validator = this.validator;
    try {
      checkValueShape(value, this.options.valueLimits);
      if (!validator) records.push(toRecord(raw, value));
      else if (validator.synchronous) records.push(toRecord(raw, validator.validateSync(value)));
      else
        return validator.validate(value).then(
          (instance) => toRecord(raw, instance),
          (err: Error) => ({ raw, reason: err }),
        );
    } catch (err) {
      undecodable.push({ raw, reason: err as Error });
    }
    return undefined;
  }

  private get deserializerName(): string {
    const { deserializer } = this.options;
    return typeof deserializer === 'function' ? deserializer.name || 'custom deserializer' : deserializer;
  }

  private deserialize(raw: RawRecord): unknown {
    const { deserializer } = this.options;
    if (typeof deserializer === 'function') return deserializer(raw.value, raw);
    if (deserializer === 'raw') return raw.value;
    if (raw.value === null) return null;
    const text = raw.value.toString('utf8');
    return deserializer === 'string' ? text : JSON.parse(text);
  }
}

function toRecord(raw: RawRecord, value: unknown): KafkaRecord {
  const headerList = headerEntries(raw);
  return {
    topic: raw.topic,
    partition: raw.partition,
    offset: raw.offset,
    key:
      raw.key === undefined || raw.key === null
        ? null
        : Buffer.isBuffer(raw.key)
          ? raw.key
          : Buffer.from(String(raw.key)),
    headers: headerList === NO_HEADERS ? NO_HEADER_MAP : Object.fromEntries(headerList),
    headerList,
    timestamp: raw.timestamp,
    value,
    raw: raw.value,
    size: raw.size,
  };
}
