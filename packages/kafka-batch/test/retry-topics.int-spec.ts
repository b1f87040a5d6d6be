import type { KafkaBatch } from '@org/kafka-batch';
import { produceRecords, readTopic } from '@org/testing';
import { DLT_HEADERS } from '../src/failure/dead-letter.headers';
import { RETRY_HEADERS } from '../src/failure/retry-topics';
import { eventually, listenerSuite } from './listener-app';

/**
 * How late a retried record may be handled after its due time: the partition resumes on a timer,
 * then librdkafka fetches it again (up to fetchMaxWaitMs, 100 ms here) and the batch is dispatched.
 */
const LATENESS_MS = 1_500;

interface Attempt {
  topic: string;
  n: number;
  at: number;
  dueAt: number | undefined;
}

describe('retry topics (real broker)', () => {
  const suite = listenerSuite();

  function recorder(fails: (value: { n: number; fail?: boolean }, topic: string) => boolean) {
    const attempts: Attempt[] = [];
    const handler = (batch: KafkaBatch<{ n: number; fail?: boolean }>) => {
      const now = Date.now();
      for (const { topic, value, headers } of batch.records) {
        const due = headers[RETRY_HEADERS.dueAt]?.toString();
        attempts.push({ topic, n: value.n, at: now, dueAt: due === undefined ? undefined : Number(due) });
      }
      const failing = batch.records.filter((r) => fails(r.value, r.topic));
      if (failing.length > 0)
        throw new Error(`no reference data for ${failing.map((r) => r.value.n).join(',')}`);
    };
    return { attempts, handler };
  }

  it('a failing record waits in each retry topic for its delay while its partition flows, then reaches the dead-letter topic with its history', async () => {
    const { topic, groupId } = await suite.newTopic('retry_chain', 2);
    const { attempts, handler } = recorder((value) => value.fail === true);
    const listener = await suite.start(
      {
        topics: [topic],
        groupId,
        maxPollRecords: 10,
        fetchMaxWaitMs: 100,
        retry: { attempts: 1, bisect: true },
        retryTopics: { delaysMs: [2_000, 4_000] },
      },
      handler,
    );
    const sent: string[] = [];
    const container = listener.registry.get('test-listener');
    container.on('retried', ({ topic: from, retryTopic }) => sent.push(`${from} → ${retryTopic}`));
    container.on('deadLettered', ({ topic: from }) => sent.push(`${from} → dead letter`));
    await produceRecords(topic, [
      { partition: 0, value: { n: 0, fail: true } },
      { partition: 0, value: { n: 1 } },
    ]);
    await eventually(() => attempts.some((a) => a.n === 1), 'the record after the failing one', 20_000);
    const failedAt = attempts.find((a) => a.n === 0)!.at;
    // The source partition goes on while the record waits.
    await produceRecords(topic, [{ partition: 0, value: { n: 2 } }]);
    await eventually(() => attempts.some((a) => a.n === 2), 'a record produced later', 10_000);
    expect(attempts.find((a) => a.n === 2)!.at).toBeLessThan(failedAt + 2_000);

    const retriedIn = (retryTopic: string) => attempts.filter((a) => a.n === 0 && a.topic === retryTopic);
    await eventually(() => retriedIn(`${topic}-retry-4000`).length > 0, 'both retries', 20_000);
    // In the source: the batch's attempt, then the record's alone (bisection); one in each retry topic.
    const tries = [attempts.filter((a) => a.n === 0 && a.topic === topic).at(-1)!];
    tries.push(...retriedIn(`${topic}-retry-2000`), ...retriedIn(`${topic}-retry-4000`));
    expect(tries.map((a) => a.topic)).toEqual([topic, `${topic}-retry-2000`, `${topic}-retry-4000`]);
    for (const retried of tries.slice(1)) {
      expect(retried.at).toBeGreaterThanOrEqual(retried.dueAt!);
      expect(retried.at).toBeLessThanOrEqual(retried.dueAt! + LATENESS_MS);
    }
    expect(tries[1].dueAt! - tries[0].at).toBeGreaterThanOrEqual(2_000 - 50);
    expect(tries[2].dueAt! - tries[1].at).toBeGreaterThanOrEqual(4_000 - 50);

    const [letter] = await readTopic(`${topic}.DLT`, 2, 1);
    expect(sent).toEqual([
      `${topic} → ${topic}-retry-2000`,
      `${topic}-retry-2000 → ${topic}-retry-4000`,
      `${topic}-retry-4000 → dead letter`,
    ]);
    expect(letter.partition).toBe(0);
    expect(letter.headers[DLT_HEADERS.originalTopic]).toBe(topic);
    expect(letter.headers[DLT_HEADERS.originalPartition]).toBe('0');
    expect(letter.headers[DLT_HEADERS.originalOffset]).toBe('0');
    expect(letter.headers[DLT_HEADERS.exceptionMessage]).toBe('no reference data for 0');
    expect(JSON.parse(letter.value!.toString())).toEqual({ n: 0, fail: true });
    // readTopic keeps the last of repeated headers; the partition count is the source's.
    expect(letter.headers[RETRY_HEADERS.failure]).toMatch(
      new RegExp(`^\\S+ ${topic}-retry-4000:0:0 after 1 attempts: Error: no reference data for 0$`),
    );
    expect(await suite.admin.partitionCount(`${topic}-retry-4000`)).toBe(2);
    const everyRetry = await readTopic(`${topic}-retry-2000`, 2, 1);
    expect(everyRetry).toHaveLength(1);
  });

  it('a record listener sends its failing record through the retry topic too, and goes on meanwhile', async () => {
    const { topic, groupId } = await suite.newTopic('retry_record', 1);
    const handled: { n: number; topic: string; at: number }[] = [];
    let failures = 0;
    await suite.start(
      {
        topics: [topic],
        groupId,
        listenerType: 'record',
        fetchMaxWaitMs: 100,
        retry: { attempts: 1 },
        retryTopics: { delaysMs: [1_500] },
      },
      (record) => {
        const { n } = record.value as { n: number };
        handled.push({ n, topic: record.topic, at: Date.now() });
        if (n === 0 && failures++ === 0) throw new Error('not yet');
      },
    );
    await produceRecords(topic, [{ value: { n: 0 } }, { value: { n: 1 } }]);
    await eventually(() => handled.filter((h) => h.n === 0).length === 2, 'the retried record', 20_000);
    const [first, retried] = handled.filter((h) => h.n === 0);
    expect(retried.topic).toBe(`${topic}-retry-1500`);
    expect(retried.at - first.at).toBeGreaterThanOrEqual(1_500 - 50);
    // The record after it was handled before its retry.
    expect(handled.findIndex((h) => h.n === 1)).toBeLessThan(handled.indexOf(retried));
  });

  it('a record waiting in a retry topic when the listener stops is handled by the next one when due', async () => {
    const { topic, groupId } = await suite.newTopic('retry_restart', 1);
    const { attempts, handler } = recorder((_value, from) => from === topic);
    const options = {
      topics: [topic],
      groupId,
      fetchMaxWaitMs: 100,
      retry: { attempts: 1 },
      retryTopics: { delaysMs: [5_000] },
    };
    const first = await suite.start(options, handler);
    await produceRecords(topic, [{ value: { n: 7 } }]);
    await eventually(() => attempts.length === 1, 'the first attempt', 20_000);
    // Published to the retry topic and committed past in the source before the stop.
    await eventually(
      async () => (await readTopic(`${topic}-retry-5000`, 1, 1, { timeoutMs: 1_000 })).length === 1,
      'the record in the retry topic',
    );
    await first.close();
    expect(attempts).toHaveLength(1);

    await suite.start(options, handler);
    await eventually(() => attempts.length === 2, 'the retry', 20_000);
    const [source, retried] = attempts;
    expect(retried.topic).toBe(`${topic}-retry-5000`);
    expect(retried.at).toBeGreaterThanOrEqual(retried.dueAt!);
    expect(retried.dueAt! - source.at).toBeGreaterThanOrEqual(5_000 - 50);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(attempts).toHaveLength(2);
  });
});
