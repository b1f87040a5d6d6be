import {
  describeGroupMembers,
  produceRecords,
  scramClientConfig,
  ScramUser,
  uniqueName,
  useDedicatedBroker,
} from '@org/testing';
import { eventually, ListenerApp, startListenerApp, TestHandler } from './listener-app';

const user: ScramUser = { mechanism: 'SCRAM-SHA-512', name: 'batch-reader', password: 'b4tch-secret' };
const WRONG_PASSWORD = 'not-the-password';

// A broker of its own with a SASL_PLAINTEXT listener and SCRAM users: the records go in through its
// PLAINTEXT listener, the @BatchListener reads through the SASL one with the module's `rdkafka`.
describe('a @BatchListener on a broker that requires SASL/SCRAM (real broker)', () => {
  const own = useDedicatedBroker({ sasl: { users: [user] } });
  const apps: ListenerApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close().catch(() => undefined)));
  });

  async function startAs(
    password: string,
    handler: TestHandler = () => undefined,
    options: { groupInstanceId?: string; groupId?: string } = {},
  ) {
    const topic = uniqueName('sasl');
    await own.admin.createTopic(topic, 1);
    const app = await startListenerApp(
      { topics: [topic], groupId: uniqueName('g'), ...options },
      handler,
      {},
      {
        brokers: own.broker.sasl!.bootstrap,
        rdkafka: scramClientConfig({ ...user, password }),
      },
    );
    apps.push(app);
    return { topic, app, listener: app.registry.get('test-listener') };
  }

  it('consumes the records with the right password', async () => {
    const received: unknown[] = [];
    const { topic } = await startAs(user.password, (batch) => void received.push(...batch.values));
    const values = Array.from({ length: 20 }, (_, n) => ({ n }));
    await produceRecords(
      topic,
      values.map((value) => ({ value })),
      own.broker.bootstrap,
    );
    await eventually(() => received.length >= values.length, 'the 20 records');
    expect(received).toEqual(values);
  });

  it("with a wrong password, ends 'failed' with an error that names the mechanism and the user, never the password", async () => {
    const { listener } = await startAs(WRONG_PASSWORD);
    // librdkafka logs the refusal within a second but retries forever; connect() gives up after 30 s.
    await eventually(() => listener.state === 'failed', "the listener's state 'failed'", 40_000);
    expect(listener.error?.message).toContain(
      "authentication failed: SASL SCRAM-SHA-512 as user 'batch-reader'",
    );
    expect(listener.error?.message).not.toContain(WRONG_PASSWORD);
  });

  it('a static member leaving for good is removed from its group through SCRAM too', async () => {
    const groupId = uniqueName('g');
    const { app, listener } = await startAs(user.password, undefined, {
      groupId,
      groupInstanceId: `${groupId}-0`,
    });
    await eventually(() => listener.assignment.length === 1, 'the assignment');
    app.registry.leaveGroupOnShutdown();
    await app.close();
    // The session timeout (45 s) would keep it listed; it is gone at once.
    expect(await describeGroupMembers(groupId, own.broker.bootstrap)).toEqual([]);
  });
});
