import { BatchListenerFailedError, DLT_HEADERS, KafkaBatch, KafkaRecord } from '@org/kafka-batch';
import { produceRecords, readTopic, waitForLagZero } from '@org/testing';
import { IsInt, IsString, Max, Min } from 'class-validator';
import { listenerSuite } from './listener-app';

class ReadingDto {
  @IsString() deviceId!: string;
  @IsInt() @Min(-50) @Max(150) temperature!: number;
}

describe('failures: retries and the dead-letter topic (real broker)', () => {
  const suite = listenerSuite();
  const { admin } = suite;

  it('retries a failing record with backoff, then publishes it to <topic>.DLT with the headers, and moves on', async () => {
    const { topic, groupId } = await suite.newTopic('retry', 2);
    await produceRecords(
      topic,
      Array.from({ length: 20 }, (_, i) => ({
        key: `k${i}`,
        value: { i, poison: i === 7 },
        partition: 0,
        headers: { trace: `t${i}` },
      })),
    );
    const handled: number[] = [];
    const attemptsAt: number[] = [];
    await suite.start(
      { topics: [topic], groupId, retry: { attempts: 3, initialDelayMs: 100, multiplier: 2 } },
      (batch: KafkaBatch<{ i: number; poison: boolean }>) => {
        for (const record of batch.records) {
          if (record.value.poison) {
            attemptsAt.push(Date.now());
            throw new BatchListenerFailedError('sensor value rejected', record, new TypeError('boom'));
          }
          handled.push(record.value.i);
        }
      },
    );
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });

    expect(attemptsAt).toHaveLength(3);
    expect(attemptsAt[1] - attemptsAt[0]).toBeGreaterThanOrEqual(90);
    expect(attemptsAt[2] - attemptsAt[1]).toBeGreaterThanOrEqual(190);
    // Records before the failing one were done once; the ones after it were handled after the dead letter.
    expect([...new Set(handled)].sort((a, b) => a - b)).toEqual([...Array(20).keys()].filter((i) => i !== 7));
    expect(handled.filter((i) => i < 7)).toEqual([0, 1, 2, 3, 4, 5, 6]);

    const [dead] = await readTopic(`${topic}.DLT`, 2, 1);
    expect(dead.key).toBe('k7');
    expect(JSON.parse(dead.value!.toString())).toEqual({ i: 7, poison: true });
    expect(dead.partition).toBe(0);
    expect(dead.headers).toMatchObject({
      trace: 't7',
      [DLT_HEADERS.originalTopic]: topic,
      [DLT_HEADERS.originalPartition]: '0',
      [DLT_HEADERS.originalOffset]: '7',
      [DLT_HEADERS.originalConsumerGroup]: groupId,
      [DLT_HEADERS.exceptionClass]: 'BatchListenerFailedError',
      [DLT_HEADERS.exceptionMessage]: 'sensor value rejected',
      [DLT_HEADERS.attempts]: '3',
    });
    expect(Number(dead.headers[DLT_HEADERS.originalTimestamp])).toBeGreaterThan(0);
    expect(dead.headers[DLT_HEADERS.exceptionStacktrace]).toContain(
      'BatchListenerFailedError: sensor value rejected',
    );
  });

  it('bisects a batch that keeps failing down to the poison record, and dead-letters only that one', async () => {
    const { topic, groupId } = await suite.newTopic('bisect', 1);
    await produceRecords(
      topic,
      Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: { i } })),
    );
    const written: number[] = [];
    let calls = 0;
    await suite.start(
      {
        topics: [topic],
        groupId,
        maxPollRecords: 40,
        fetchMinBytes: 40 * 8,
        retry: { attempts: 2, initialDelayMs: 10 },
      },
      (batch: KafkaBatch<{ i: number }>) => {
        calls++;
        // All or nothing, like one INSERT of the whole batch meeting a CHECK constraint.
        if (batch.values.some((v) => v.i === 29)) throw new Error('violates check constraint "positive_i"');
        written.push(...batch.values.map((v) => v.i));
      },
    );
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });
    expect([...new Set(written)].sort((a, b) => a - b)).toEqual(
      [...Array(40).keys()].filter((i) => i !== 29),
    );
    const [dead] = await readTopic(`${topic}.DLT`, 1, 1);
    expect(dead.key).toBe('k29');
    expect(dead.headers[DLT_HEADERS.exceptionMessage]).toBe('violates check constraint "positive_i"');
    // Per batch that met the poison: the attempts on the whole, then about 2 × log2(size) halves.
    expect(calls).toBeLessThanOrEqual(4 * (2 + 2 * Math.ceil(Math.log2(40))));
  });

  it('redelivers on a transient failure (database outage) without counting attempts or dead-lettering', async () => {
    const { topic, groupId } = await suite.newTopic('transient', 2);
    await produceRecords(
      topic,
      Array.from({ length: 10 }, (_, i) => ({ value: { i }, partition: i % 2 })),
    );
    const failuresAt: number[] = [];
    const written = new Set<number>();
    const { registry } = await suite.start(
      {
        topics: [topic],
        groupId,
        retry: { attempts: 2, initialDelayMs: 50, multiplier: 2, maxDelayMs: 400 },
      },
      (batch: KafkaBatch<{ i: number }>) => {
        if (failuresAt.length < 6) {
          failuresAt.push(Date.now());
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        }
        batch.values.forEach((v) => written.add(v.i));
      },
    );
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });
    expect([...written].sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    expect(failuresAt).toHaveLength(6);
    expect(await admin.listTopics()).not.toContain(`${topic}.DLT`);
    expect(registry.get('test-listener').pausedPartitions()).toEqual([]);
  });

  it('dead-letters a whole batch when the handler keeps failing without naming a record (bisect off)', async () => {
    const { topic, groupId } = await suite.newTopic('retry_all', 1);
    await produceRecords(
      topic,
      Array.from({ length: 5 }, (_, i) => ({ value: { i } })),
    );
    const invocations = new Map<number, number>();
    await suite.start(
      {
        topics: [topic],
        groupId,
        retry: { attempts: 2, initialDelayMs: 10, bisect: false },
        deadLetter: { topic: (t) => `${t}-dead` },
      },
      (batch: KafkaBatch<{ i: number }>) => {
        for (const { i } of batch.values) invocations.set(i, (invocations.get(i) ?? 0) + 1);
        throw new Error('database down');
      },
    );
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });
    const dead = await readTopic(`${topic}-dead`, 1, 5);
    expect(dead.map((d) => JSON.parse(d.value!.toString()).i)).toEqual([0, 1, 2, 3, 4]);
    expect(
      dead.every(
        (d) =>
          d.headers[DLT_HEADERS.exceptionMessage] === 'database down' &&
          d.headers[DLT_HEADERS.attempts] === '2',
      ),
    ).toBe(true);
    // Each record went through exactly the two attempts, whichever batches the records came in.
    expect(invocations).toEqual(new Map([0, 1, 2, 3, 4].map((i) => [i, 2])));
  });

  it('sends undecodable and invalid records to the dead-letter topic one by one and handles the rest', async () => {
    const { topic, groupId } = await suite.newTopic('poison', 1);
    const good = (i: number) => ({ key: `good-${i}`, value: { deviceId: `d${i}`, temperature: 20 + i } });
    await produceRecords(topic, [
      good(0),
      { key: 'not-json', value: Buffer.from([0xff, 0x00, 0x7b]) },
      good(1),
      { key: 'invalid', value: { deviceId: 'd9', temperature: 999 } },
      { key: 'not-object', value: '42' },
      good(2),
    ]);
    const seen: ReadingDto[] = [];
    await suite.start({ topics: [topic], groupId, validate: ReadingDto }, (batch: KafkaBatch<ReadingDto>) => {
      batch.records.forEach((r: KafkaRecord<ReadingDto>) => seen.push(r.value));
    });
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });

    expect(seen.map((r) => r.deviceId)).toEqual(['d0', 'd1', 'd2']);
    expect(seen.every((r) => r instanceof ReadingDto)).toBe(true);
    const dead = await readTopic(`${topic}.DLT`, 1, 3);
    const byKey = Object.fromEntries(dead.map((d) => [d.key, d.headers]));
    expect(byKey['not-json'][DLT_HEADERS.exceptionClass]).toBe('DeserializationError');
    expect(byKey['not-json'][DLT_HEADERS.exceptionMessage]).toMatch(
      /^cannot deserialize value as json: Unexpected token/,
    );
    expect(byKey['invalid'][DLT_HEADERS.exceptionClass]).toBe('RecordValidationError');
    expect(byKey['invalid'][DLT_HEADERS.exceptionMessage]).toBe(
      'invalid value: temperature: temperature must not be greater than 150',
    );
    expect(byKey['not-object'][DLT_HEADERS.exceptionMessage]).toBe('value must be a JSON object, got number');
    expect(byKey['invalid'][DLT_HEADERS.attempts]).toBe('0');
  });
});
