import {
  createTestDatabase,
  describeGroupMembers,
  eventually,
  kafkaBootstrap,
  TestDatabase,
  uniqueName,
} from '@org/testing';
import { killLeftoverTelemetry, startTelemetry } from './telemetry-app.process';

// The StatefulSet check itself needs a cluster (unit-tested against an HTTP server in
// src/scaling); here the decision is given, and the broker says whether the pod left the group.
describe('telemetry pod stopping with static membership (real broker)', () => {
  afterEach(killLeftoverTelemetry);
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('telemetry_leave');
  });
  afterAll(() => database?.drop());

  async function stopPod(leave: 'always' | 'never') {
    const groupId = uniqueName('telemetry_leave');
    const app = startTelemetry({
      DATABASE_URL: database.url,
      TELEMETRY_TOPIC: uniqueName('telemetry_leave'),
      TELEMETRY_PARTITIONS: '2',
      TELEMETRY_GROUP_ID: groupId,
      POD_NAME: 'telemetry-2',
      LEAVE_GROUP_ON_SHUTDOWN: leave,
    });
    await app.listening();
    await eventually(() => /assigned \S+\[0,1\]/.test(app.output()), 'the assignment', 30_000);
    app.child.kill('SIGTERM');
    await app.exited;
    return { groupId, output: app.output() };
  }

  it('leaves the consumer group as it stops when told it is scaled away, and stays a member otherwise', async () => {
    const scaledAway = await stopPod('always');
    expect(scaledAway.output).toContain(
      `left group ${scaledAway.groupId} for good (static member telemetry-2-telemetry-readings): its partitions move now`,
    );
    expect(await describeGroupMembers(scaledAway.groupId, kafkaBootstrap())).toEqual([]);

    const restarting = await stopPod('never');
    expect(restarting.output).not.toContain('left group');
    // Its partitions wait for it, until the session times out.
    expect(await describeGroupMembers(restarting.groupId, kafkaBootstrap())).toEqual([
      { groupInstanceId: 'telemetry-2-telemetry-readings', partitions: 2 },
    ]);
  });
});
