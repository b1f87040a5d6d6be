import { AdminClient, ConsumerGroupStates, GroupDescriptions } from '@confluentinc/kafka-javascript';
import { fromCallback, kafkaBootstrap } from '@org/testing';

/**
 * Resolves once the group's members hold every partition between them: a steady phase starts
 * its load then, so a consumer's join does not count as lag.
 */
export async function waitForAssignment(
  groupId: string,
  partitions: number,
  timeoutMs = 60_000,
): Promise<void> {
  const admin = AdminClient.create({
    'bootstrap.servers': kafkaBootstrap(),
    'client.id': 'bench-e2e-groups',
  });
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { groups } = await fromCallback<GroupDescriptions>((done) =>
        admin.describeGroups([groupId], { timeout: 5_000 }, done),
      );
      const assigned = (groups[0]?.members ?? []).reduce(
        (sum, member) => sum + (member.assignment?.topicPartitions?.length ?? 0),
        0,
      );
      if (groups[0]?.state === ConsumerGroupStates.STABLE && assigned === partitions) return;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    throw new Error(`group ${groupId} did not get all ${partitions} partitions within ${timeoutMs} ms`);
  } finally {
    admin.disconnect();
  }
}
