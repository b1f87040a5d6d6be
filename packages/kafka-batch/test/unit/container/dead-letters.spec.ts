import { startListener, TOPIC, tp, values } from '../fakes/listener.harness';

const notJson = Buffer.from('{not json');

describe('dead letters (fake consumer)', () => {
  it('commits past a dead-lettered record only once the broker confirmed it', async () => {
    const h = await startListener({ maxPollRecords: 3 });
    h.consumer.produce(TOPIC, 0, [{ i: 0 }, notJson, { i: 2 }]);
    h.deadLetters.hold();
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.deadLetters.calls === 1, 'the publish');
    await h.clock.advance(5_000);
    expect(h.consumer.calls.filter((c) => c.startsWith('commit'))).toEqual([]);
    h.deadLetters.release();
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 3, 'the commit');
    expect(h.deadLetters.offsets()).toEqual(['t[0]@1']);
    expect(h.deadLetters.published[0].reason.name).toBe('DeserializationError');
    expect(h.handled()).toEqual(['0@0', '0@2']);
    await h.stop();
  });

  it('a failed publish holds only its partition, retried with a growing wait, and publishes only what failed', async () => {
    // Concurrency 2: each partition in a batch of its own (a batch waits for all its records).
    const h = await startListener({ maxPollRecords: 10, concurrency: 2 });
    h.consumer.produce(TOPIC, 0, [notJson, Buffer.from('also not json'), { i: 2 }]);
    h.consumer.produce(TOPIC, 1, values(3));
    // The broker refuses the letter of offset 0 three times; the one of offset 1 goes through at once.
    h.deadLetters.refuse = ({ raw }, call) =>
      raw.offset === 0 && call <= 3 ? new Error('Broker: Not enough in-sync replicas') : undefined;
    h.consumer.assignPartitions(tp(0), tp(1));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 1) === 3, 'partition 1 meanwhile');
    expect(h.consumer.committedAt(TOPIC, 0)).toBeUndefined();
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 3, 'partition 0 once the letter is taken');
    expect(h.deadLetters.offsets()).toEqual(['t[0]@1', 't[0]@0']);
    expect(h.logger.of('error')).toEqual([
      'L: cannot publish t[0]@0 to the dead-letter topic, holding the partition; trying again in 1000 ms: Broker: Not enough in-sync replicas',
      'L: cannot publish t[0]@0 to the dead-letter topic, holding the partition; trying again in 2000 ms: Broker: Not enough in-sync replicas',
      'L: cannot publish t[0]@0 to the dead-letter topic, holding the partition; trying again in 4000 ms: Broker: Not enough in-sync replicas',
    ]);
    await h.stop();
  });

  it('a record dead-lettered before its batch is delivered again is not dead-lettered twice', async () => {
    const h = await startListener({ ackMode: 'manual', maxPollRecords: 4 }, (batch, ack, call) => {
      // The first time, only offset 0 is acknowledged: 2 and 3 come back; 1 went to the dead-letter topic.
      if (call === 1) ack.acknowledge(batch.records[0]);
      else ack.acknowledge();
    });
    h.consumer.produce(TOPIC, 0, [{ i: 0 }, notJson, { i: 2 }, { i: 3 }]);
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 4, 'the commit');
    expect(h.invocations.map((i) => i.records.map((r) => r.offset))).toEqual([
      [0, 2, 3],
      [2, 3],
    ]);
    expect(h.deadLetters.offsets()).toEqual(['t[0]@1']);
    await h.stop();
  });

  it('with dead-lettering off, logs the record it skips and moves on', async () => {
    const h = await startListener({ maxPollRecords: 2 }, () => undefined, { deadLetters: 'off' });
    h.consumer.produce(TOPIC, 0, [notJson, { i: 1 }]);
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 2, 'the commit');
    expect(h.logger.of('error')).toEqual([
      expect.stringMatching(
        /^L: skipping t\[0\]@0 \(dead-letter topic disabled\): cannot deserialize value as json/,
      ),
    ]);
    await h.stop();
  });
});

describe('a batch that fails outside the handler (fake consumer)', () => {
  it('is logged and delivered again after a second, with nothing of it committed meanwhile', async () => {
    const h = await startListener({ maxPollRecords: 2 });
    const publish = h.deadLetters.publish.bind(h.deadLetters);
    const publishedAt: number[] = [];
    let broken = true;
    h.deadLetters.publish = async (letters) => {
      publishedAt.push(h.clock.now());
      if (!broken) return publish(letters);
      broken = false;
      throw new TypeError('a bug in a sink');
    };
    h.consumer.produce(TOPIC, 0, [notJson, { i: 1 }]);
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.logger.of('error').length === 1, 'the failure');
    expect(h.logger.of('error')[0]).toMatch(/^batch processing failed: TypeError: a bug in a sink/);
    expect(h.consumer.committedAt(TOPIC, 0)).toBeUndefined();
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 2, 'the redelivery');
    expect(publishedAt[1] - publishedAt[0]).toBe(1_000);
    expect(h.deadLetters.offsets()).toEqual(['t[0]@0']);
    expect(h.handled()).toEqual(['0@1']);
    await h.stop();
  });
});
