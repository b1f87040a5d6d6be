import type { ResolvedListenerOptions } from '../interfaces/batch-listener-options.interface';
import type { KafkaRecord } from '../interfaces/kafka-record.interface';
import type { RawRecord } from '../interfaces/raw-record.interface';
import { RecordValidator } from './record.validator';

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

/** Decodes (and optionally validates) raw records into the values handlers receive. */
export class RecordDecoder {
  private readonly validator: RecordValidator | undefined;

  constructor(private readonly options: Pick<ResolvedListenerOptions, 'deserializer' | 'validate'>) {
    this.validator = options.validate ? new RecordValidator(options.validate) : undefined;
  }

  async decode(raws: RawRecord[]): Promise<{ records: KafkaRecord[]; undecodable: UndecodableRecord[] }> {
    const records: KafkaRecord[] = [];
    const sources: RawRecord[] = [];
    const undecodable: UndecodableRecord[] = [];
    for (const raw of raws) {
      try {
        records.push(toRecord(raw, this.deserialize(raw)));
        sources.push(raw);
      } catch (err) {
        const reason = `cannot deserialize value as ${this.deserializerName}: ${(err as Error).message}`;
        undecodable.push({ raw, reason: new DeserializationError(reason) });
      }
    }
    const validator = this.validator;
    if (!validator || records.length === 0) return { records, undecodable };
    const outcomes = validator.synchronous
      ? records.map((record) => outcomeOf(() => validator.validateSync(record.value)))
      : await Promise.all(
          records.map((record) => validator.validate(record.value).catch((err: Error) => err)),
        );
    const valid: KafkaRecord[] = [];
    outcomes.forEach((outcome, i) => {
      if (outcome instanceof Error) undecodable.push({ raw: sources[i], reason: outcome });
      else valid.push({ ...records[i], value: outcome });
    });
    return { records: valid, undecodable };
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

function outcomeOf(validated: () => object): object | Error {
  try {
    return validated();
  } catch (err) {
    return err as Error;
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
