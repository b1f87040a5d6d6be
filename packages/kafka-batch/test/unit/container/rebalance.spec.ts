import type { KafkaRebalanceListener } from '../../../src/membership/rebalance-listener.interface';
import { startListener, TOPIC, tp, values } from '../fakes/listener.harness';

/** A rebalance listener that writes its hooks into the consumer's call log, to see them in order. */
function recordingListener(log: () => string[], assigned?: () => Promise<void>): KafkaRebalanceListener {
  const at = (partitions: { partition: number }[]) => partitions.map((p) => p.partition).join(',');
  return {
    onPartitionsAssigned: async (partitions) => {
      log().push(`hook assigned ${at(partitions)}`);
      await assigned?.();
    },
    onPartitionsRevokedBeforeCommit: (partitions) => void log().push(`hook before-commit ${at(partitions)}`),
    onPartitionsRevoked: (partitions) =>
      void log().push(`hook revoked ${partitions.map((p) => `${p.partition}@${p.offset}`).join(',')}`),
    onPartitionsLost: (partitions) => void log().push(`hook lost ${at(partitions)}`),
  };
}

describe('rebalances (fake consumer)', () => {
  it('a revoke waits for the running batch, then: before-commit hook, commit confirmed, revoked hook, unassign', async () => {
    let calls: string[] = [];
    let finish!: () => void;
    const h = await startListener(
      { maxPollRecords: 3, concurrency: 2 },
      (batch) => {
        if (batch.records[0].partition === 0) return new Promise<void>((resolve) => (finish = resolve));
      },
      { rebalanceListener: recordingListener(() => calls) },
    );
    calls = h.consumer.calls;
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.produce(TOPIC, 1, values(3));
    h.consumer.assignPartitions(tp(0), tp(1));
    await h.clock.until(() => h.invocations.length === 2, 'a batch on each partition');
    h.consumer.revokePartitions([tp(0)]);
    await h.clock.advance(2_000);
    expect(calls.filter((c) => c.includes('t[0]') || c.includes(' 0'))).not.toContain('unassign t[0]');
    expect(h.container.holds(TOPIC, 0)).toBe(false);
    calls.push('batch ends');
    finish();
    await h.clock.until(() => calls.includes('unassign t[0]'), 'the unassign');
    expect(calls.slice(calls.indexOf('batch ends'))).toEqual([
      'batch ends',
      'hook before-commit 0',
      'commit t[0]@3',
      'hook revoked 0@3',
      'unassign t[0]',
    ]);
    expect(h.container.assignment).toEqual([tp(1)]);
    expect(h.logger.of('log')).toContain('revoked t[0]');
    await h.stop();
  });

  it('a lost assignment commits nothing, calls onPartitionsLost, and discards the results of its running batch', async () => {
    let calls: string[] = [];
    let finish!: () => void;
    const h = await startListener(
      { maxPollRecords: 3 },
      () => new Promise<void>((resolve) => (finish = resolve)),
      { rebalanceListener: recordingListener(() => calls) },
    );
    calls = h.consumer.calls;
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.invocations.length === 1, 'the batch');
    h.consumer.revokePartitions([tp(0)], { lost: true });
    await h.clock.until(() => calls.includes('unassign t[0]'), 'the unassign');
    expect(calls.slice(-2)).toEqual(['hook lost 0', 'unassign t[0]']);
    finish();
    await h.clock.advance(5_000);
    expect(calls.filter((c) => c.startsWith('commit'))).toEqual([]);
    expect(h.logger.of('log')).toContain('lost t[0]');
    await h.stop();
  });

  it('waits for onPartitionsAssigned before the first batch of those partitions; a seek there takes effect', async () => {
    let calls: string[] = [];
    let release!: () => void;
    const hookDone = new Promise<void>((resolve) => (release = resolve));
    const h = await startListener({ maxPollRecords: 10 }, () => undefined, {
      rebalanceListener: recordingListener(
        () => calls,
        () => hookDone,
      ),
    });
    calls = h.consumer.calls;
    h.consumer.produce(TOPIC, 0, values(6));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => calls.includes('hook assigned 0'), 'the hook');
    await h.clock.advance(3_000);
    expect(h.invocations).toEqual([]);
    h.container.seek(TOPIC, 0, 4);
    release();
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 6, 'the commit');
    expect(h.handled()).toEqual(['0@4', '0@5']);
    await h.stop();
  });

  it('a revoke gives up waiting for a batch after shutdownTimeoutMs and lets the partition go', async () => {
    const h = await startListener(
      { maxPollRecords: 3, shutdownTimeoutMs: 5_000 },
      () => new Promise(() => undefined),
    );
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.invocations.length === 1, 'the batch');
    const revokedAt = h.clock.now();
    h.consumer.revokePartitions([tp(0)]);
    await h.clock.until(() => h.consumer.calls.includes('unassign t[0]'), 'the unassign');
    expect(h.clock.now() - revokedAt).toBeGreaterThanOrEqual(5_000);
    expect(h.clock.now() - revokedAt).toBeLessThan(5_300);
    expect(h.logger.of('warn')).toContain(
      'batches of revoked partitions still running after 5000 ms; their records will be delivered again',
    );
    expect(h.consumer.calls.filter((c) => c.startsWith('commit'))).toEqual([]);
  });

  it('resumes a partition paused for a backoff when it is revoked, so a later assignment fetches it', async () => {
    const h = await startListener({ ackMode: 'manual', maxPollRecords: 3 }, (batch, ack, call) => {
      if (call === 1) ack.nack(batch.records[0], { backoffMs: 60_000 });
      else ack.acknowledge();
    });
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.isPaused(TOPIC, 0), 'the backoff pause');
    h.consumer.revokePartitions([tp(0)]);
    await h.clock.until(() => h.consumer.calls.includes('unassign t[0]'), 'the unassign');
    expect(h.consumer.isPaused(TOPIC, 0)).toBe(false);
    const resumeAt = h.consumer.calls.indexOf('resume t[0]');
    expect(resumeAt).toBeGreaterThan(-1);
    expect(resumeAt).toBeLessThan(h.consumer.calls.indexOf('unassign t[0]'));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 3, 'the records after the new assignment');
    await h.stop();
  });
});
