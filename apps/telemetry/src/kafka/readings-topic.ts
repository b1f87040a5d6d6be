import { AdminClient, IAdminClient } from '@confluentinc/kafka-javascript';
import { AuthenticationWatch } from './authentication.watch';

export type TopicOutcome =
  { outcome: 'created'; partitions: number } | { outcome: 'exists'; partitions: number };

export interface TopicTarget {
  bootstrap: string;
  topic: string;
  partitions: number;
  /** librdkafka properties (security) for the admin client. */
  rdkafka?: Record<string, string>;
  clientId?: string;
}

/**
 * Creates the topic with the wanted partition count when it is missing, and reports the count
 * of an existing one (which is never changed: adding partitions moves keys, and with them the
 * order of each device's readings). Shared by the service and the simulator, so whichever
 * starts first creates the topic the same way.
 */
export async function ensureTopic(target: TopicTarget): Promise<TopicOutcome> {
  const config = {
    'bootstrap.servers': target.bootstrap,
    'client.id': target.clientId ?? 'telemetry-admin',
    ...target.rdkafka,
  };
  const authentication = new AuthenticationWatch(config);
  const admin = AdminClient.create(config, { 'event.log': authentication.onLog });
  try {
    const existing = await partitionCount(admin, target, authentication);
    if (existing !== undefined) return { outcome: 'exists', partitions: existing };
    try {
      await call<void>((done) =>
        admin.createTopic(
          { topic: target.topic, num_partitions: target.partitions, replication_factor: -1 },
          15_000,
          done,
        ),
      );
    } catch (err) {
      // Another instance created it between our look and our create.
      if (!/already exists/i.test((err as Error).message)) throw err;
    }
    return {
      outcome: 'created',
      partitions: (await partitionCount(admin, target, authentication)) ?? target.partitions,
    };
  } finally {
    admin.disconnect();
  }
}

async function partitionCount(
  admin: IAdminClient,
  target: TopicTarget,
  authentication: AuthenticationWatch,
): Promise<number | undefined> {
  let topics: string[];
  try {
    topics = await call<string[]>((done) => admin.listTopics({ timeout: 10_000 }, done));
  } catch (err) {
    throw authentication.unavailable(err as Error);
  }
  if (!topics.includes(target.topic)) return undefined;
  const [description] = await call<{ partitions: unknown[] }[]>((done) =>
    admin.describeTopics([target.topic], { timeout: 10_000 }, done),
  );
  return description.partitions.length;
}

function call<T>(run: (done: (err: unknown, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) =>
    run((err, value) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(value))),
  );
}
