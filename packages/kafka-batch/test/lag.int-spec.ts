import { KafkaLagMonitor, KafkaRecord, ListenerLag } from '@org/kafka-batch';
import { describeConsumerGroup, kafkaBootstrap, produceRecords } from '@org/testing';
import { eventually, listenerSuite } from './listener-app';

const FAST_LAG = { lag: { intervalMs: 300, windowSize: 4 } };
const HELD_BACK_FROM = 10;
const PER_PARTITION = 30;

describe('lag monitor', () => {
  const suite = listenerSuite();

  /** A listener that completes offsets below 10 on every partition and holds at 10 (long nack). */
  async function holdAtTen(prefix: string) {
    const { topic, groupId } = await suite.newTopic(prefix, 3);
    await produceRecords(
      topic,
      [0, 1, 2].flatMap((partition) =>
        Array.from({ length: PER_PARTITION }, (_, i) => ({ partition, value: { i } })),
      ),
    );
    const { app } = await suite.start(
      { topics: [topic], groupId, ackMode: 'manual', maxPollRecords: 100 },
      (batch, ack) => {
        for (const partition of [0, 1, 2]) {
          const records: KafkaRecord[] = batch.records.filter((r: KafkaRecord) => r.partition === partition);
          const done = records.filter((r) => r.offset < HELD_BACK_FROM);
          const held = records.find((r) => r.offset >= HELD_BACK_FROM);
          if (done.length > 0) ack.acknowledge(done.at(-1));
          if (held) ack.nack(held, { backoffMs: 120_000 });
        }
      },
      {},
      FAST_LAG,
    );
    const monitor = app.get(KafkaLagMonitor);
    let lag: ListenerLag | undefined;
    await eventually(() => {
      lag = monitor.snapshot('test-listener');
      return (
        lag?.partitions.length === 3 && lag.partitions.every((p) => p.committedOffset === HELD_BACK_FROM)
      );
    }, 'the monitor to see offset 10 committed on every partition');
    return { topic, groupId, monitor, lag: lag! };
  }

  it("reports the same offsets and lag as Kafka's consumer-groups command", async () => {
    const { groupId, monitor } = await holdAtTen('lag-oracle');
    const tool = await describeConsumerGroup(groupId, kafkaBootstrap());
    const lag = monitor.snapshot('test-listener')!;
    expect(tool).toHaveLength(3);
    for (const row of tool) {
      const ours = lag.partitions.find((p) => p.topic === row.topic && p.partition === row.partition)!;
      expect({ committed: ours.committedOffset, end: ours.endOffset, lag: ours.lag }).toEqual({
        committed: row.currentOffset,
        end: row.logEndOffset,
        lag: row.lag,
      });
    }
    expect(lag.totalLag).toBe(3 * (PER_PARTITION - HELD_BACK_FROM));
    // The offset stays put while the loop is alive and holds the partitions: Burrow's STALL.
    await eventually(
      () => monitor.snapshot('test-listener')!.status === 'STALL',
      'status STALL once a full window shows no progress',
    );
    // Held back since before the monitor's first sample: the age is at least the time observed.
    const later = monitor.snapshot('test-listener')!;
    expect(later.maxLagSeconds).toBeGreaterThanOrEqual((later.sampledAt! - lag.sampledAt!) / 1000);
  });

  it('clamps a committed offset below the log start, so retention does not create phantom lag', async () => {
    const { topic, monitor } = await holdAtTen('lag-retention');
    await suite.admin.deleteRecordsBefore(topic, 0, 20);
    await eventually(
      () =>
        monitor.snapshot('test-listener')!.partitions.find((p) => p.partition === 0)!.logStartOffset === 20,
      'the monitor to re-read the log start offset',
    );
    const partition0 = monitor.snapshot('test-listener')!.partitions.find((p) => p.partition === 0)!;
    expect(partition0).toMatchObject({ committedOffset: 10, logStartOffset: 20, endOffset: 30, lag: 10 });
  });

  it('rejects invalid monitor options at startup, naming the option and the allowed values', async () => {
    const { topic, groupId } = await suite.newTopic('lag-config', 1);
    await expect(
      suite.start({ topics: [topic], groupId }, () => undefined, {}, { lag: { intervalMs: 10 } }),
    ).rejects.toThrow('option "lag.intervalMs" must be an integer in 100..3600000 (got 10)');
  });
});
