import { isDeepStrictEqual } from 'node:util';
import { KafkaAdmin } from './kafka-admin';

const describe = (offsets: Map<number, number>) =>
  `{${[...offsets].map(([partition, offset]) => `p${partition}=${offset}`).join(' ')}}`;

/**
 * Resolves once the group's committed offsets on the topic, as the broker reports them, are
 * exactly `expected` (partition → offset); fails with the last ones read when that does not
 * happen in time. Commits are asynchronous: a test polls for them instead of sleeping.
 */
export async function waitForCommittedOffsets(
  admin: KafkaAdmin,
  groupId: string,
  topic: string,
  expected: Map<number, number>,
  { timeoutMs = 20_000, intervalMs = 100 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let committed = new Map<number, number>();
  while (Date.now() < deadline) {
    committed = await admin.committedOffsets(groupId, topic);
    if (isDeepStrictEqual(committed, expected)) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `group ${groupId} committed ${describe(committed)} on ${topic} after ${timeoutMs} ms, expected ${describe(expected)}`,
  );
}
