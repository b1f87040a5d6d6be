import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';

/** Which dead letters go back. Every filter given must match; none given selects every letter. */
export interface RedriveSelection {
  /** Anchored: the whole `kafka_dlt-exception-fqcn` must match. */
  exception?: RegExp;
  /** Searched in `kafka_dlt-exception-message`. */
  message?: RegExp;
  /** Original partitions (`kafka_dlt-original-partition`). */
  partitions?: ReadonlySet<number>;
  /** Original offsets, both ends included (`kafka_dlt-original-offset`). */
  offsets?: { from: number; to: number };
  /** The dead letter's own timestamp (when it failed), in ms: since included, until excluded. */
  since?: number;
  until?: number;
}

export interface RedriveOptions {
  deadLetterTopic: string;
  /** Every letter to this topic, partitioned by key; by default each to its original topic and partition. */
  to?: string;
  selection: RedriveSelection;
  brokers: string;
  /** The consumer group whose committed offsets say what was redriven already. */
  group: string;
  dryRun: boolean;
  /** Dead letters read per transaction. */
  transactionSize: number;
  /** Records sent per second at most; undefined: as fast as the broker takes them. */
  rate?: number;
  /** Further librdkafka properties for both clients (SSL, SASL, …). */
  rdkafka: Record<string, string>;
  json: boolean;
}

export class RedriveUsageError extends Error {}

export const REDRIVE_USAGE = `Usage: kafka-batch redrive --from <dead-letter topic> [options]

Copies dead letters back to the topic and partition they came from (their kafka_dlt-original-*
headers), or to --to, in Kafka transactions that also commit the redrive's consumer group: a run
interrupted at any point and started again sends each dead letter once.

  --from T              the dead-letter topic (required)
  --to T                send every selected letter to T instead, partitioned by key
  --exception RE        the exception class (kafka_dlt-exception-fqcn) matches RE, whole
  --message RE          the exception message contains a match of RE
  --partition N[,N…]    original partitions
  --offsets A-B         original offsets A to B, both included
  --since TIME          dead letters written at TIME or later (ISO 8601, or ms since the epoch)
  --until TIME          dead letters written before TIME
  --dry-run             print what would be sent; send and commit nothing
  --brokers LIST        bootstrap servers (default: $KAFKA_BOOTSTRAP, or localhost:9092)
  --group ID            the redrive's consumer group (default: derived from --from, --to and the
                        filters: the same redrive shares its progress, another one starts afresh)
  --transaction-size N  dead letters per transaction (default 1000)
  --rate N              records sent per second at most (default: no limit)
  -X key=value          a librdkafka property for both clients, e.g. -X security.protocol=sasl_ssl
  --json                print the summary as one JSON line
  --help

Exit status: 0 done, 1 failed (the summary says how far it got), 2 usage error.`;

export function parseRedriveOptions(argv: string[], env: NodeJS.ProcessEnv): RedriveOptions | 'help' {
  let values;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        exception: { type: 'string' },
        message: { type: 'string' },
        partition: { type: 'string' },
        offsets: { type: 'string' },
        since: { type: 'string' },
        until: { type: 'string' },
        'dry-run': { type: 'boolean' },
        brokers: { type: 'string' },
        group: { type: 'string' },
        'transaction-size': { type: 'string' },
        rate: { type: 'string' },
        X: { type: 'string', short: 'X', multiple: true },
        json: { type: 'boolean' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (err) {
    throw new RedriveUsageError((err as Error).message);
  }
  if (values.help) return 'help';
  if (!values.from) throw new RedriveUsageError('--from <dead-letter topic> is required');
  const deadLetterTopic = topicName('--from', values.from);
  const to = values.to === undefined ? undefined : topicName('--to', values.to);
  if (to === deadLetterTopic) throw new RedriveUsageError('--to must not be the dead-letter topic itself');
  const selection: RedriveSelection = {
    exception: values.exception === undefined ? undefined : regex('--exception', `^(?:${values.exception})$`),
    message: values.message === undefined ? undefined : regex('--message', values.message),
    partitions: values.partition === undefined ? undefined : partitionList(values.partition),
    offsets: values.offsets === undefined ? undefined : offsetRange(values.offsets),
    since: values.since === undefined ? undefined : time('--since', values.since),
    until: values.until === undefined ? undefined : time('--until', values.until),
  };
  if (selection.since !== undefined && selection.until !== undefined && selection.since >= selection.until)
    throw new RedriveUsageError('--since must be before --until');
  return {
    deadLetterTopic,
    to,
    selection,
    brokers: values.brokers || env.KAFKA_BOOTSTRAP || 'localhost:9092',
    group: values.group ?? defaultGroup(deadLetterTopic, to, values),
    dryRun: values['dry-run'] ?? false,
    transactionSize: integer('--transaction-size', values['transaction-size'], 1000, 1, 100_000),
    rate: values.rate === undefined ? undefined : integer('--rate', values.rate, 0, 1, 10_000_000),
    rdkafka: properties(values.X ?? []),
    json: values.json ?? false,
  };
}

/** One group per distinct redrive: its source, its target and its filters as given. */
function defaultGroup(
  deadLetterTopic: string,
  to: string | undefined,
  values: Record<string, unknown>,
): string {
  const filters = ['exception', 'message', 'partition', 'offsets', 'since', 'until'].map(
    (k) => values[k] ?? null,
  );
  const digest = createHash('sha256')
    .update(JSON.stringify([to ?? null, ...filters]))
    .digest('hex')
    .slice(0, 12);
  return `kafka-batch-redrive.${deadLetterTopic}.${digest}`;
}

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

function topicName(flag: string, raw: string): string {
  if (!TOPIC_NAME.test(raw))
    throw new RedriveUsageError(`${flag} must be a topic name: 1..249 of A-Z a-z 0-9 . _ - (got "${raw}")`);
  return raw;
}

function regex(flag: string, source: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    throw new RedriveUsageError(`${flag} must be a regular expression: ${(err as Error).message}`);
  }
}

function integer(flag: string, raw: string | undefined, fallback: number, min: number, max: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(value) || value < min || value > max)
    throw new RedriveUsageError(`${flag} must be an integer in ${min}..${max} (got "${raw}")`);
  return value;
}

function partitionList(raw: string): Set<number> {
  return new Set(raw.split(',').map((part) => integer('--partition', part.trim(), 0, 0, 2 ** 31 - 1)));
}

function offsetRange(raw: string): { from: number; to: number } {
  const match = /^(\d+)-(\d+)$/.exec(raw.trim());
  const [from, to] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!match || !Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from > to)
    throw new RedriveUsageError(`--offsets must be A-B with integers 0 <= A <= B (got "${raw}")`);
  return { from, to };
}

function time(flag: string, raw: string): number {
  const ms = /^\d+$/.test(raw) ? Number(raw) : Date.parse(raw);
  if (!Number.isFinite(ms) || !/^\d+$|^\d{4}-\d{2}-\d{2}/.test(raw))
    throw new RedriveUsageError(`${flag} must be an ISO 8601 time or ms since the epoch (got "${raw}")`);
  return ms;
}

/** librdkafka properties the redrive sets itself: its exactly-once run depends on them. */
const OWNED_PROPERTIES = [
  'group.id',
  'transactional.id',
  'enable.auto.commit',
  'isolation.level',
  'enable.idempotence',
] as const;

function properties(pairs: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new RedriveUsageError(`-X must be key=value (got "${pair}")`);
    const key = pair.slice(0, eq);
    if ((OWNED_PROPERTIES as readonly string[]).includes(key))
      throw new RedriveUsageError(`-X ${key} is set by the redrive itself (${OWNED_PROPERTIES.join(', ')})`);
    result[key] = pair.slice(eq + 1);
  }
  return result;
}
