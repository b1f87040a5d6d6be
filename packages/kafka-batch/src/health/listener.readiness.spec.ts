import type { ListenerLag } from '../lag/lag.interfaces';
import { assessReadiness, ReadinessSubject } from './listener.readiness';

const NOW = 1_000_000;
const MONITOR = { enabled: true, staleAfterMs: 10_000 };
const listener = (facts: Partial<ReadinessSubject> = {}): ReadinessSubject => ({
  state: 'running',
  paused: false,
  joinedGroupAt: NOW - 1_000,
  options: { id: 'l', groupId: 'g', autoStartup: true },
  ...facts,
});
const lag = (facts: Partial<ListenerLag> = {}): ListenerLag => ({
  listenerId: 'l',
  groupId: 'g',
  sampledAt: NOW - 500,
  error: undefined,
  totalLag: 0,
  maxLagSeconds: 0,
  consumeRate: 0,
  status: 'OK',
  partitions: [],
  ...facts,
});

describe('assessReadiness', () => {
  it('is ready when running, joined, sampled and caught up', () => {
    expect(assessReadiness(listener(), lag(), MONITOR, { maxLagRecords: 0 }, NOW)).toEqual({
      ready: true,
      state: 'running',
      reasons: [],
    });
  });

  it('is not ready before joining the group, or while not running', () => {
    expect(
      assessReadiness(listener({ joinedGroupAt: undefined }), undefined, MONITOR, {}, NOW).reasons,
    ).toEqual(['it has not joined group g yet']);
    expect(assessReadiness(listener({ state: 'stopping' }), lag(), MONITOR, {}, NOW).reasons).toEqual([
      'the listener is stopping',
    ]);
  });

  it('ignores a listener that is not meant to start with the application', () => {
    const manual = listener({ state: 'created', options: { id: 'l', groupId: 'g', autoStartup: false } });
    expect(assessReadiness(manual, undefined, MONITOR, {}, NOW).ready).toBe(true);
  });

  it('is not ready when the broker stopped answering or the last sample is stale', () => {
    expect(assessReadiness(listener(), lag({ error: 'timed out' }), MONITOR, {}, NOW).reasons).toEqual([
      'the broker does not answer: timed out',
    ]);
    expect(assessReadiness(listener(), lag({ sampledAt: NOW - 20_000 }), MONITOR, {}, NOW).reasons).toEqual([
      'no lag sample for 20000 ms',
    ]);
  });

  it('judges no lag of a listener paused on request, but still its group and its broker', () => {
    const partitions = [{ topic: 't', partition: 0, status: 'STALL' }] as ListenerLag['partitions'];
    const stalled = lag({ status: 'STALL', partitions, totalLag: 5_000, maxLagSeconds: 120 });
    const limits = { maxLagRecords: 100, maxLagSeconds: 10 };

    expect(assessReadiness(listener({ paused: true }), stalled, MONITOR, limits, NOW)).toEqual({
      ready: true,
      state: 'running',
      reasons: [],
    });
    expect(assessReadiness(listener(), stalled, MONITOR, limits, NOW).reasons).toHaveLength(3);
    expect(
      assessReadiness(listener({ paused: true }), lag({ error: 'timed out' }), MONITOR, limits, NOW).reasons,
    ).toEqual(['the broker does not answer: timed out']);
  });

  it('fails on STALL, STOP and REWIND by default, and on WARN only when asked', () => {
    const partitions = [{ topic: 't', partition: 0, status: 'STALL' }] as ListenerLag['partitions'];
    expect(
      assessReadiness(listener(), lag({ status: 'STALL', partitions }), MONITOR, {}, NOW).reasons,
    ).toEqual(['status STALL on t[0]']);
    const warn = lag({ status: 'WARN', partitions: [{ ...partitions[0], status: 'WARN' }] });
    expect(assessReadiness(listener(), warn, MONITOR, {}, NOW).ready).toBe(true);
    expect(assessReadiness(listener(), warn, MONITOR, { failOnStatus: ['WARN'] }, NOW).ready).toBe(false);
    expect(
      assessReadiness(listener(), lag({ status: 'STALL', partitions }), MONITOR, { failOnStatus: [] }, NOW)
        .ready,
    ).toBe(true);
  });

  it('applies lag thresholds in records and seconds', () => {
    const behind = lag({ totalLag: 501, maxLagSeconds: 61 });
    expect(
      assessReadiness(listener(), behind, MONITOR, { maxLagRecords: 500, maxLagSeconds: 60 }, NOW).reasons,
    ).toEqual(['lag 501 records exceeds 500', 'lag 61.0 s exceeds 60 s']);
  });
});
