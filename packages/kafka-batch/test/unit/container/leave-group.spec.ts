import type { RemovalResult, StaticMemberRemover } from '../../../src/membership/wire/static-member.remover';
import { startListener, TOPIC, tp, values } from '../fakes/listener.harness';

/** Records each removal with the consumer's calls so far: when it came, not only that it did. */
class FakeRemover implements StaticMemberRemover {
  readonly removals: { groupId: string; instanceId: string; consumerCallsBefore: string[] }[] = [];
  consumerCalls: () => string[] = () => [];
  answer: () => Promise<RemovalResult> = () => Promise.resolve('removed');

  remove(groupId: string, instanceId: string): Promise<RemovalResult> {
    this.removals.push({ groupId, instanceId, consumerCallsBefore: [...this.consumerCalls()] });
    return this.answer();
  }
}

async function staticListener(options: { groupInstanceId?: string | false } = {}) {
  const remover = new FakeRemover();
  const h = await startListener({ groupInstanceId: 'telemetry-2', ...options }, () => undefined, {
    memberRemover: remover,
  });
  remover.consumerCalls = () => h.consumer.calls;
  h.consumer.produce(TOPIC, 0, values(3));
  h.consumer.assignPartitions(tp(0));
  await h.clock.until(() => h.handled().length === 3, 'the records');
  return { h, remover };
}

describe('leaving the group for good (fake consumer)', () => {
  it('a static member stopped with leaveGroup is removed once its work is committed and its consumer closed', async () => {
    const { h, remover } = await staticListener();
    await h.stop({ leaveGroup: true });

    expect(remover.removals).toHaveLength(1);
    const [{ groupId, instanceId, consumerCallsBefore }] = remover.removals;
    expect([groupId, instanceId]).toEqual(['g', 'telemetry-2']);
    expect(consumerCallsBefore).toContain(`commit ${TOPIC}[0]@3`);
    expect(consumerCallsBefore.at(-1)).toBe('disconnect');
    expect(h.logger.of('log')).toContain(
      'left group g for good (static member telemetry-2): its partitions move now',
    );
    expect(h.container.state).toBe('stopped');
  });

  it('a plain stop (a restart) keeps the membership, and a dynamic member has none to remove', async () => {
    const restarting = await staticListener();
    await restarting.h.stop();
    const dynamic = await staticListener({ groupInstanceId: false });
    await dynamic.h.stop({ leaveGroup: true });

    expect(restarting.remover.removals).toEqual([]);
    expect(dynamic.remover.removals).toEqual([]);
  });

  it('a fenced member never removes its id: the member that fenced it holds it now', async () => {
    const { h, remover } = await staticListener();
    h.consumer.fatal('Broker: Static consumer fenced by other consumer with same group.instance.id');
    await h.clock.until(() => h.consumer.calls.includes('disconnect'), 'the disconnect');
    await h.stop({ leaveGroup: true });

    expect(h.container.state).toBe('failed');
    expect(remover.removals).toEqual([]);
  });

  it('a removal that fails is logged with its reason and the consequence; the listener still stops', async () => {
    const { h, remover } = await staticListener();
    remover.answer = () =>
      Promise.reject(new Error('removing member telemetry-2 from group g: not authorized for the group'));
    await h.stop({ leaveGroup: true });

    expect(h.container.state).toBe('stopped');
    expect(h.logger.of('error')).toEqual([
      'could not leave group g for good: removing member telemetry-2 from group g: not authorized for the group; its partitions move when its session times out',
    ]);
  });
});
