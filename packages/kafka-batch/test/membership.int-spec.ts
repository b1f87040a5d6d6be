import type { BatchListenerOptions } from '@org/kafka-batch';
import {
  KafkaAdmin,
  produceRecords,
  stabilizedGenerations,
  testOutput,
  uniqueName,
  waitForLagZero,
} from '@org/testing';
import { Member, produceContinuously, stableAssignment } from './group-member';
import { eventually, ListenerApp, sleep } from './listener-app';

/** Every produced record was handled at least once; the duplicates go to the test's output. */
function expectEveryRecordHandled(members: Member[], produced: number): void {
  const handled = members.flatMap((m) => m.handled.map((h) => `${h.partition}:${h.offset}`));
  const unique = new Set(handled).size;
  testOutput(
    'membership',
    `${produced} produced, ${handled.length} handled, ${handled.length - unique} duplicates`,
  );
  expect(unique).toBe(produced);
}

describe('group membership (real broker)', () => {
  const admin = new KafkaAdmin();
  const apps: ListenerApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((a) => a.close().catch(() => undefined)));
  });
  afterAll(() => admin.close());

  async function join(
    member: Member,
    options: BatchListenerOptions,
    hold?: () => Promise<void>,
  ): Promise<Member> {
    await member.start(options, hold);
    apps.push(member.app);
    return member;
  }

  it('a static member restarted within the session timeout gets its partitions back without a rebalance', async () => {
    const topic = uniqueName('static');
    const groupId = uniqueName('g');
    await admin.createTopic(topic, 6);
    const a = await join(new Member('a'), { topics: [topic], groupId, groupInstanceId: `${groupId}-a` });
    const b = await join(new Member('b'), { topics: [topic], groupId, groupInstanceId: `${groupId}-b` });
    await stableAssignment([a, b], 6, 'both members assigned');
    const production = await produceContinuously(topic, 6);
    const generationsBefore = stabilizedGenerations(groupId);
    const bOwned = [...b.owned()].sort();
    const aEvents = a.events.length;

    await b.app.close();
    apps.splice(apps.indexOf(b.app), 1);
    const restartedAt = Date.now();
    const b2 = await join(new Member('b2'), { topics: [topic], groupId, groupInstanceId: `${groupId}-b` });
    await eventually(() => b2.owned().size > 0, 'the restarted member to get partitions', 20_000);
    await eventually(
      () => a.handled.some((h) => h.at > restartedAt) && b2.handled.length > 0,
      'both members to handle records after the restart',
    );
    await production.stop();

    expect([...b2.owned()].sort()).toEqual(bOwned);
    expect(a.events.length).toBe(aEvents);
    expect(stabilizedGenerations(groupId)).toEqual(generationsBefore);
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });
  });

  it.each([
    ['cooperative-sticky', true],
    ['range', false],
  ] as const)(
    'a third member joining under %s: only moving partitions are revoked = %s',
    async (assignor, cooperative) => {
      const topic = uniqueName(`join_${assignor.replace('-', '_')}`);
      const groupId = uniqueName('g');
      await admin.createTopic(topic, 12);
      const options = { topics: [topic], groupId, assignor, groupInstanceId: false as const };
      const a = await join(new Member('a'), options);
      const b = await join(new Member('b'), options);
      await stableAssignment([a, b], 12, 'two members assigned');
      const production = await produceContinuously(topic, 12);
      await eventually(() => a.handled.length > 0 && b.handled.length > 0, 'both members handling records');
      const before = { a: a.owned(), b: b.owned() };
      const eventsBefore = { a: a.events.length, b: b.events.length };
      const joinedAt = Date.now();
      const c = await join(new Member('c'), options);
      await stableAssignment([a, b, c], 12, 'three members assigned');
      const assignedAt = c.events.find((e) => e.kind === 'assigned' && e.partitions.length > 0)!.at;
      await eventually(() => c.handled.length > 0, 'the new member handling records');
      const produced = await production.stop();

      for (const [member, owned] of [
        [a, before.a],
        [b, before.b],
      ] as const) {
        const revoked = member.events
          .slice(eventsBefore[member.name as 'a' | 'b'])
          .filter((e) => e.kind === 'revoked')
          .flatMap((e) => e.partitions);
        const kept = [...owned].filter((p) => member.owned().has(p));
        if (cooperative) {
          expect(kept.length).toBeGreaterThan(0);
          expect(revoked.filter((p) => kept.includes(p))).toEqual([]);
          // Kept partitions made progress while the group rebalanced.
          expect(
            member.handled.some((h) => kept.includes(h.partition) && h.at > joinedAt && h.at < assignedAt),
          ).toBe(true);
        } else {
          expect(new Set(revoked)).toEqual(owned);
        }
      }

      await waitForLagZero(admin, groupId, topic, { timeoutMs: 30_000 });
      // Acknowledged records are never delivered again to the new owner: what c handled of a
      // partition it took over begins at the offset committed when the partition was revoked.
      let checks = 0;
      for (const member of [a, b]) {
        for (const e of member.events.filter((ev) => ev.kind === 'revoked' && ev.at >= joinedAt)) {
          for (const { partition, offset } of e.committed ?? []) {
            const byC = c.handled.filter((h) => h.partition === partition).map((h) => h.offset);
            if (!c.owned().has(partition) || offset === undefined || byC.length === 0) continue;
            expect(Math.min(...byC)).toBeGreaterThanOrEqual(offset);
            checks++;
          }
        }
      }
      expect(checks).toBeGreaterThan(0);
      expectEveryRecordHandled([a, b, c], produced);
    },
  );

  it('scales 1 → 3 → 1 under continuous production, handling every record at least once', async () => {
    const topic = uniqueName('scale');
    const groupId = uniqueName('g');
    await admin.createTopic(topic, 12);
    const options = { topics: [topic], groupId, groupInstanceId: false as const };
    const a = await join(new Member('a'), options);
    await stableAssignment([a], 12, 'one member');
    const production = await produceContinuously(topic, 12);
    const b = await join(new Member('b'), options);
    const c = await join(new Member('c'), options);
    await stableAssignment([a, b, c], 12, 'three members');
    await eventually(() => b.handled.length > 0 && c.handled.length > 0, 'the new members handling records');
    for (const member of [b, c]) {
      await member.app.close();
      apps.splice(apps.indexOf(member.app), 1);
    }
    await eventually(() => a.owned().size === 12, 'the last member to own everything', 30_000);
    const alone = Date.now();
    await eventually(
      () => new Set(a.handled.filter((h) => h.at > alone).map((h) => h.partition)).size === 12,
      'the last member handling every partition',
    );
    const produced = await production.stop();
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 30_000 });
    expectEveryRecordHandled([a, b, c], produced);
  });

  it('a partition revoked while paused for backpressure is fetched again when it comes back', async () => {
    const topic = uniqueName('paused-revoke');
    const groupId = uniqueName('g');
    await admin.createTopic(topic, 2);
    await produceRecords(
      topic,
      Array.from({ length: 200 }, (_, i) => ({ value: { i }, partition: i % 2 })),
    );
    // An in-flight budget of one batch, and a's first batch held: both partitions are paused for
    // backpressure when b's arrival makes a give one up.
    const options = {
      topics: [topic],
      groupId,
      groupInstanceId: false as const,
      maxPollRecords: 20,
      maxInFlightRecords: 20,
    };
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const a = await join(new Member('a'), options, () => held);
    const paused = () => a.app.registry.get('test-listener').pausedPartitions();
    await eventually(
      () => paused().filter((p) => p.reasons.includes('backpressure')).length === 2,
      'a holding its first batch, both partitions paused for backpressure',
    );
    const b = await join(new Member('b'), options);
    // The partition a gives up is resumed as its revoke begins; the revoke then waits for the batch.
    await eventually(() => paused().length === 1, 'a to begin revoking a paused partition');
    release();
    await stableAssignment([a, b], 2, 'two members');
    await waitForLagZero(admin, groupId, topic);
    await b.app.close();
    apps.splice(apps.indexOf(b.app), 1);
    await eventually(() => a.owned().size === 2, 'a to own both partitions again', 30_000);
    // New records on the partition that came back only: nothing else would make a pause and
    // resume it (which would hide a pause left over from the revoke).
    const moved = b.events.find((e) => e.kind === 'assigned' && e.partitions.length > 0)!.partitions[0];
    await produceRecords(
      topic,
      Array.from({ length: 100 }, (_, i) => ({ value: { i: 200 + i }, partition: moved })),
    );
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 30_000 });
    const handled = new Set([...a.handled, ...b.handled].map((h) => `${h.partition}:${h.offset}`));
    expect(handled.size).toBe(300);
  });

  it('a fenced static member (duplicate id) fails once, clearly, and stops', async () => {
    const topic = uniqueName('fenced');
    const groupId = uniqueName('g');
    await admin.createTopic(topic, 2);
    const id = `${groupId}-same`;
    const first = await join(new Member('first'), { topics: [topic], groupId, groupInstanceId: id });
    await stableAssignment([first], 2, 'the first member');
    await join(new Member('second'), { topics: [topic], groupId, groupInstanceId: id });
    const container = first.app.registry.get('test-listener');
    await eventually(() => container.state === 'failed', 'the first member to be fenced', 30_000);
    expect(container.error?.message).toMatch(/fenced by other consumer with same group.instance.id/);
    const polledAt = container.lastPollAt;
    await sleep(1_000);
    expect(container.lastPollAt).toBe(polledAt);
  });
});
