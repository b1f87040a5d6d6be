import type { BatchListenerOptions } from '@org/kafka-batch';
import {
  describeGroupMembers,
  KafkaAdmin,
  kafkaBootstrap,
  tlsClientConfig,
  uniqueName,
  useDedicatedBroker,
} from '@org/testing';
import { Member, stableAssignment } from './group-member';
import { eventually, ListenerApp, startListenerApp } from './listener-app';

/** Long enough that a move within it can only come from the member leaving. */
const SESSION_TIMEOUT_MS = 60_000;

describe('a static member leaving its group for good (real broker)', () => {
  const admin = new KafkaAdmin();
  const apps: ListenerApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close().catch(() => undefined)));
  });
  afterAll(() => admin.close());

  async function twoMembers(protocol: Partial<BatchListenerOptions>) {
    const topic = uniqueName('leave');
    const groupId = uniqueName('g');
    await admin.createTopic(topic, 4);
    const options = (name: string) => ({
      topics: [topic],
      groupId,
      groupInstanceId: `${groupId}-${name}`,
      ...protocol,
    });
    const a = new Member('a');
    await a.start(options('a'));
    apps.push(a.app);
    const b = new Member('b');
    await b.start(options('b'));
    await stableAssignment([a, b], 4, 'both members assigned');
    return { a, b, groupId };
  }

  it.each([
    ['classic', { sessionTimeoutMs: SESSION_TIMEOUT_MS, heartbeatIntervalMs: 1_000 }],
    // KIP-848: the broker's group.consumer.session.timeout.ms (45 s) applies.
    ['consumer', { groupProtocol: 'consumer' as const }],
  ])(
    'under the %s protocol, its partitions move to the remaining member at once, not after the session timeout',
    async (_protocol, options) => {
      const { a, b, groupId } = await twoMembers(options);
      const leaving = [...b.owned()];
      b.app.registry.leaveGroupOnShutdown(async (signal) => signal === undefined);
      const closedAt = Date.now();
      await b.app.close();
      await eventually(
        () => a.owned().size === 4,
        "the remaining member to get the leaver's partitions",
        20_000,
      );
      const movedAt = Date.now();
      expect(movedAt - closedAt).toBeLessThan(15_000);
      const [assigned] = a.events.filter((e) => e.kind === 'assigned' && e.at >= closedAt);
      expect(assigned.partitions.sort()).toEqual(expect.arrayContaining(leaving.sort()));
      const members = await describeGroupMembers(groupId, kafkaBootstrap());
      expect(members).toEqual([{ groupInstanceId: `${groupId}-a`, partitions: 4 }]);
    },
  );
});

// A broker of its own with an SSL listener: the removal connects over TLS as the consumer does,
// trusting the broker's certificate through ssl.ca.location and checking its name.
describe('a static member leaving its group for good over TLS (real broker)', () => {
  const own = useDedicatedBroker({ tls: true });

  it('is removed from its group through the SSL listener', async () => {
    const topic = uniqueName('leave_tls');
    const groupId = uniqueName('g');
    await own.admin.createTopic(topic, 1);
    const app = await startListenerApp(
      { topics: [topic], groupId, groupInstanceId: `${groupId}-0` },
      () => undefined,
      {},
      { brokers: own.broker.tls!.bootstrap, rdkafka: tlsClientConfig(own.broker.tls!) },
    );
    try {
      const listener = app.registry.get('test-listener');
      await eventually(() => listener.assignment.length === 1, 'the assignment over TLS', 30_000);
      app.registry.leaveGroupOnShutdown();
    } finally {
      await app.close();
    }
    expect(await describeGroupMembers(groupId, own.broker.bootstrap)).toEqual([]);
  });
});
