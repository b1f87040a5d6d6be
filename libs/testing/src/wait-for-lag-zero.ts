import { KafkaAdmin } from './kafka-admin';

/**
 * Resolves once the group has committed every record of the topic; fails loudly with the
 * per-partition lag when that does not happen in time.
 */
export async function waitForLagZero(
  admin: KafkaAdmin,
  groupId: string,
  topic: string,
  { timeoutMs = 60_000, intervalMs = 250 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = { total: -1, byPartition: new Map<number, number>() };
  while (Date.now() < deadline) {
    last = await admin.lag(groupId, topic);
    if (last.total === 0) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  const detail = [...last.byPartition].map(([p, lag]) => `p${p}=${lag}`).join(' ');
  throw new Error(
    `group ${groupId} still lags ${last.total} records on ${topic} after ${timeoutMs} ms (${detail})`,
  );
}
