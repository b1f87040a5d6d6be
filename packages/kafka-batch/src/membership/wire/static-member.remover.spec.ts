import { FakeClock } from '../../../test/unit/fakes/fake.clock';
import type { BrokerAddress } from './broker.connection';
import { WireReader, WireWriter } from './kafka-wire.codec';
import { WireConnection, WireStaticMemberRemover } from './static-member.remover';

const COORDINATOR = { host: 'kafka-2', port: 9093 };

/** Brokers that answer FindCoordinator and LeaveGroup with the error codes a test scripts. */
function cluster(script: {
  findErrors?: number[];
  leaveErrors?: number[];
  memberErrors?: number[];
  down?: string[];
}) {
  const log: string[] = [];
  let open = 0;
  const connect = (address: BrokerAddress): Promise<WireConnection> => {
    const name = `${address.host}:${address.port}`;
    if (script.down?.includes(name)) return Promise.reject(new Error(`${name}: connect ECONNREFUSED`));
    open++;
    return Promise.resolve({
      close: () => void open--,
      request(apiKey: number, version: number, body: WireWriter) {
        const request = new WireReader(body.toBuffer());
        if (apiKey === 10) {
          log.push(`${name} FindCoordinator v${version} ${request.string()} type ${request.int8()}`);
          const error = script.findErrors?.shift() ?? 0;
          const answer = new WireWriter().int32(0).int16(error).string(null).int32(2);
          return Promise.resolve(
            new WireReader(answer.string(COORDINATOR.host).int32(COORDINATOR.port).toBuffer()),
          );
        }
        const group = request.string();
        const members = request.array((r) => `${JSON.stringify(r.string())}/${r.string()}`);
        log.push(`${name} LeaveGroup v${version} ${group} ${members.join(' ')}`);
        const answer = new WireWriter()
          .int32(0)
          .int16(script.leaveErrors?.shift() ?? 0)
          .array(members, (w) =>
            w
              .string('')
              .string('telemetry-2')
              .int16(script.memberErrors?.shift() ?? 0),
          );
        return Promise.resolve(new WireReader(answer.toBuffer()));
      },
    });
  };
  return { log, connect, openConnections: () => open };
}

const BOOTSTRAP = [
  { host: 'kafka-0', port: 9092 },
  { host: 'kafka-1', port: 9092 },
];

describe('WireStaticMemberRemover', () => {
  it('asks a bootstrap broker for the coordinator, then has the coordinator remove the member by its instance id', async () => {
    const brokers = cluster({ down: ['kafka-0:9092'] });
    const remover = new WireStaticMemberRemover(BOOTSTRAP, brokers.connect, new FakeClock());
    await expect(remover.remove('telemetry', 'telemetry-2')).resolves.toBe('removed');
    expect(brokers.log).toEqual([
      'kafka-1:9092 FindCoordinator v1 telemetry type 0',
      'kafka-2:9093 LeaveGroup v3 telemetry ""/telemetry-2',
    ]);
    expect(brokers.openConnections()).toBe(0);
  });

  it('asks again while the coordinator moves', async () => {
    const clock = new FakeClock();
    const brokers = cluster({ findErrors: [15], leaveErrors: [16] });
    let result: string | undefined;
    void new WireStaticMemberRemover(BOOTSTRAP, brokers.connect, clock)
      .remove('telemetry', 'telemetry-2')
      .then((r) => (result = r));
    await clock.until(() => result !== undefined, 'the removal');
    expect(result).toBe('removed');
    expect(brokers.log.filter((l) => l.includes('LeaveGroup'))).toHaveLength(2);
  });

  it('a member or group the coordinator does not know is not a member: nothing to remove', async () => {
    const unknownMember = cluster({ memberErrors: [25] });
    const unknownGroup = cluster({ leaveErrors: [69] });
    const remove = (brokers: ReturnType<typeof cluster>) =>
      new WireStaticMemberRemover(BOOTSTRAP, brokers.connect, new FakeClock()).remove(
        'telemetry',
        'telemetry-2',
      );
    await expect(remove(unknownMember)).resolves.toBe('not a member');
    await expect(remove(unknownGroup)).resolves.toBe('not a member');
  });

  it('says what it was doing and why it could not', async () => {
    const remove = (brokers: ReturnType<typeof cluster>) =>
      new WireStaticMemberRemover(BOOTSTRAP, brokers.connect, new FakeClock()).remove(
        'telemetry',
        'telemetry-2',
      );
    await expect(remove(cluster({ leaveErrors: [30] }))).rejects.toThrow(
      'removing member telemetry-2 from group telemetry: not authorized for the group',
    );
    await expect(remove(cluster({ down: ['kafka-0:9092', 'kafka-1:9092'] }))).rejects.toThrow(
      'no bootstrap broker answered: kafka-0:9092: connect ECONNREFUSED; kafka-1:9092: connect ECONNREFUSED',
    );
  });
});
