import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The log of the broker that scripts/kafka/kafka.sh runs (KAFKA_HOME, default <repo>/.kafka). */
export function brokerLogFile(): string {
  const home = process.env.KAFKA_HOME ?? resolve(__dirname, '../../../.kafka');
  return join(home, 'logs/server.log');
}

/**
 * The generations the broker's group coordinator stabilized for a group, in order: the server's
 * own record of every rebalance, independent of what the clients report.
 */
export function stabilizedGenerations(groupId: string): number[] {
  const file = brokerLogFile();
  if (!existsSync(file))
    throw new Error(
      `no broker log at ${file}: these tests need the broker started by scripts/kafka/kafka.sh`,
    );
  const pattern = new RegExp(
    `Stabilized group ${groupId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} generation (\\d+)`,
    'g',
  );
  return [...readFileSync(file, 'utf8').matchAll(pattern)].map((m) => Number(m[1]));
}
