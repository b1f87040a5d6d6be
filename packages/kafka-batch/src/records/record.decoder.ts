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

type Decoded = KafkaRecord | UndecodableRecord;

function add({ records, undecodable }: DecodedRecords, result: Decoded): void {
  if ('reason' in result) undecodable.push(result);
  else records.push(result);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

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
    // Async deserializers and validations run side by side; from the first of them on, results
    // are collected as promises and put in order at the end.
    const pending: Promise<Decoded>[] = [];
    for (const raw of raws) {
      if (this.slicer.due()) {
        await this.slicer.pause();
        if (stopped()) return 'interrupted';
      }
      const result = this.decodeOne(raw);
      if (pending.length > 0 || result instanceof Promise) pending.push(Promise.resolve(result));
      else add(decoded, result);
    }
    for (const settled of await Promise.all(pending)) add(decoded, settled);
    return decoded;
  }

  /** The record for the handler, or why not; a promise when the deserializer or validator is async. */
  private decodeOne(raw: RawRecord): Decoded | Promise<Decoded> {
    let value: unknown;
    try {
      checkValueBytes(raw.value, this.options.valueLimits);
      value = this.deserialize(raw);
    } catch (err) {
      return { raw, reason: this.deserializationFailure(err) };
    }
    if (!isThenable(value)) return this.validated(raw, value);
    return Promise.resolve(value).then(
      (resolved) => this.validated(raw, resolved),
      (err: unknown) => ({ raw, reason: this.deserializationFailure(err) }),
    );
  }

  private validated(raw: RawRecord, value: unknown): Decoded | Promise<Decoded> {
    const validator = this.validator;
    try {
      checkValueShape(value, this.options.valueLimits);
      if (!validator) return toRecord(raw, value);
      if (validator.synchronous) return toRecord(raw, validator.validateSync(value));
      return validator.validate(value).then(
        (instance) => toRecord(raw, instance),
        (err: Error) => ({ raw, reason: err }),
      );
    } catch (err) {
      return { raw, reason: err as Error };
    }
  }

  private deserializationFailure(err: unknown): Error {
    if (err instanceof ValueLimitError) return err;
    const message = err instanceof Error ? err.message : String(err);
    return new DeserializationError(`cannot deserialize value as ${this.deserializerName}: ${message}`);
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
