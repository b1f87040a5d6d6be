import { KafkaBatchMetricsModule } from '@org/kafka-batch/metrics';
import { produceRecords, waitForLagZero } from '@org/testing';
import { register as globalRegistry, Registry } from 'prom-client';
import { eventually, listenerSuite } from './listener-app';

const FAST_LAG = { lag: { intervalMs: 300, windowSize: 4 } };

/** The value of one sample in Prometheus text format, e.g. `name{a="b"}`; undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('Prometheus metrics', () => {
  const suite = listenerSuite();

  it('count records, dead letters, batches and commits, and report lag per partition', async () => {
    const { topic, groupId } = await suite.newTopic('metrics', 2);
    await produceRecords(topic, [
      ...Array.from({ length: 199 }, (_, i) => ({ partition: i % 2, value: { i } })),
      { partition: 0, value: Buffer.from('{not json') },
    ]);
    const registry = new Registry();
    await suite.start(
      { topics: [topic], groupId, maxPollRecords: 50 },
      () => undefined,
      { imports: [KafkaBatchMetricsModule.forRoot({ registry })] },
      FAST_LAG,
    );
    await waitForLagZero(suite.admin, groupId, topic);
    const listener = 'listener="test-listener"';
    const partition = (p: number) =>
      `{listener="test-listener",group="${groupId}",topic="${topic}",partition="${p}"}`;
    let text = '';
    await eventually(async () => {
      text = await registry.metrics();
      return (
        sample(text, `kafka_batch_lag_records${partition(0)}`) === 0 &&
        sample(text, `kafka_batch_lag_records${partition(1)}`) === 0
      );
    }, 'lag 0 on both partitions in the metrics');
    expect(sample(text, `kafka_batch_records_consumed_total{${listener}}`)).toBe(199);
    expect(sample(text, `kafka_batch_records_dead_lettered_total{${listener},topic="${topic}"}`)).toBe(1);
    expect(sample(text, `kafka_batch_records_failed_total{${listener}}`)).toBeUndefined();
    expect(sample(text, `kafka_batch_batch_size_records_sum{${listener}}`)).toBe(199);
    expect(sample(text, `kafka_batch_batch_size_records_bucket{le="50",${listener}}`)).toBe(
      sample(text, `kafka_batch_batch_size_records_count{${listener}}`),
    );
    expect(
      sample(text, `kafka_batch_commit_latency_seconds_count{${listener},outcome="success"}`),
    ).toBeGreaterThan(0);
    // One observation per handler invocation, all of them successful.
    expect(sample(text, `kafka_batch_handler_duration_seconds_count{${listener},outcome="success"}`)).toBe(
      sample(text, `kafka_batch_batch_size_records_count{${listener}}`),
    );
    // The only member of its group: assigned once.
    expect(sample(text, `kafka_batch_rebalances_total{${listener},kind="assigned"}`)).toBe(1);
    expect(sample(text, `kafka_batch_committed_offset${partition(1)}`)).toBe(99);
    expect(sample(text, `kafka_batch_end_offset${partition(1)}`)).toBe(99);
    expect(sample(text, `kafka_batch_lag_status{${listener},group="${groupId}",status="OK"}`)).toBe(1);
    expect(sample(text, `kafka_batch_listener_running{${listener}}`)).toBe(1);
    expect(sample(text, `kafka_batch_assigned_partitions{${listener}}`)).toBe(2);
  });

  it('counts failed records, and leaves the registry clean when the application closes', async () => {
    const { topic, groupId } = await suite.newTopic('metrics-failed', 1);
    await produceRecords(topic, [{ value: { fail: true } }]);
    const app = await suite.start(
      { topics: [topic], groupId, retry: { attempts: 2, initialDelayMs: 10 } },
      () => {
        throw new Error('boom');
      },
      { imports: [KafkaBatchMetricsModule.forRoot()] },
      FAST_LAG,
    );
    await waitForLagZero(suite.admin, groupId, topic);
    const text = await globalRegistry.metrics();
    expect(sample(text, 'kafka_batch_records_failed_total{listener="test-listener"}')).toBe(2);
    expect(
      sample(text, 'kafka_batch_records_dead_lettered_total{listener="test-listener",topic="' + topic + '"}'),
    ).toBe(1);
    await app.close();
    expect(globalRegistry.getSingleMetric('kafka_batch_records_failed_total')).toBeUndefined();
    expect(await globalRegistry.metrics()).not.toContain('kafka_batch_');
  });
});
