import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

const script = resolve(__dirname, '../../../scripts/kafka/kafka.sh');

/** Runs scripts/kafka/kafka.sh with extra environment; resolves with its standard output. */
export async function kafkaScript(args: string[], env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [script, ...args], {
    env: { ...process.env, ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

export interface ConsumerGroupRow {
  topic: string;
  partition: number;
  currentOffset: number | undefined;
  logEndOffset: number;
  lag: number | undefined;
}

/**
 * What Kafka's own consumer-groups command (from the broker jars) reports for a group: an oracle
 * independent of this project's client code.
 */
export async function describeConsumerGroup(groupId: string, bootstrap: string): Promise<ConsumerGroupRow[]> {
  return consumerGroupTable(groupId, bootstrap, [], /^GROUP\s+TOPIC\s+PARTITION/, (cells, at) => {
    const numberOrUndefined = (cell: string) => (cell === '-' ? undefined : Number(cell));
    return {
      topic: at(cells, 'TOPIC'),
      partition: Number(at(cells, 'PARTITION')),
      currentOffset: numberOrUndefined(at(cells, 'CURRENT-OFFSET')),
      logEndOffset: Number(at(cells, 'LOG-END-OFFSET')),
      lag: numberOrUndefined(at(cells, 'LAG')),
    };
  });
}

export interface GroupMemberRow {
  /** undefined for a dynamic member. */
  groupInstanceId: string | undefined;
  partitions: number;
}

/** The group's members as Kafka's consumer-groups command lists them (`--members`). */
export async function describeGroupMembers(groupId: string, bootstrap: string): Promise<GroupMemberRow[]> {
  return consumerGroupTable(groupId, bootstrap, ['--members'], /^GROUP\s+CONSUMER-ID/, (cells, at) => ({
    groupInstanceId: at(cells, 'GROUP-INSTANCE-ID') === '-' ? undefined : at(cells, 'GROUP-INSTANCE-ID'),
    partitions: Number(at(cells, '#PARTITIONS')),
  }));
}

async function consumerGroupTable<T>(
  groupId: string,
  bootstrap: string,
  extraArgs: string[],
  headerLine: RegExp,
  row: (cells: string[], at: (cells: string[], name: string) => string) => T,
): Promise<T[]> {
  const out = await kafkaScript([
    'tool',
    'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
    '--bootstrap-server',
    bootstrap,
    '--describe',
    '--group',
    groupId,
    ...extraArgs,
  ]);
  if (/has no active members/.test(out)) return [];
  const lines = out.split('\n').filter((line) => line.trim() !== '');
  const header = lines.findIndex((line) => headerLine.test(line));
  if (header < 0) throw new Error(`unexpected consumer-groups output:\n${out}`);
  const columns = lines[header].trim().split(/\s+/);
  const at = (cells: string[], name: string) => cells[columns.indexOf(name)];
  return lines.slice(header + 1).map((line) => row(line.trim().split(/\s+/), at));
}
