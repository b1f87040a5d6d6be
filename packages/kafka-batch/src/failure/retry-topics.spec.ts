import type { MessageHeader } from '@confluentinc/kafka-javascript';
import type { RawRecord } from '../interfaces/raw-record.interface';
import { DLT_HEADERS, firstHeaderValues } from './dead-letter.headers';
import { deadLetterRecord } from './dead-letter.record';
import { dueAtOf, RETRY_HEADERS, RetryTopics } from './retry-topics';

const NOW = Date.UTC(2026, 11, 7, 12);
const clock = { now: () => NOW, sleep: async () => undefined, schedule: () => () => undefined };
const retryTopics = new RetryTopics(['readings'], [10_000, 60_000], (t) => `${t}.DLT`, clock);

function raw(topic: string, partition: number, offset: number, headers?: MessageHeader[]): RawRecord {
  return {
    topic,
    partition,
    offset,
    value: Buffer.from('{}'),
    key: null,
    size: 2,
    timestamp: NOW - 5,
    headers,
  };
}

/** What the next hop of `record` carries, as the publisher would send it. */
function hop(record: RawRecord, message: string) {
  const letter = { raw: record, reason: new TypeError(message), attempts: 3 };
  const route = retryTopics.route(letter);
  const published = deadLetterRecord(letter, { groupId: 'g', stackTrace: 'none' }, undefined, route);
  return { route, headers: published.headers };
}

describe('RetryTopics', () => {
  it('names one retry topic per delay, created like the source, and consumes them with the source', () => {
    expect(retryTopics.topics()).toEqual([
      { topic: 'readings-retry-10000', like: 'readings' },
      { topic: 'readings-retry-60000', like: 'readings' },
    ]);
    expect(retryTopics.subscription()).toEqual(['readings', 'readings-retry-10000', 'readings-retry-60000']);
    expect([retryTopics.isRetryTopic('readings-retry-10000'), retryTopics.isRetryTopic('readings')]).toEqual([
      true,
      false,
    ]);
  });

  it('sends a failed record through each retry topic, due after its delay, then to the dead-letter topic with its history', () => {
    const first = hop(raw('readings', 4, 120, [{ trace: 'x' }]), 'no reference data');
    expect(first.route).toMatchObject({
      topic: 'readings-retry-10000',
      like: 'readings',
      origin: { topic: 'readings', partition: 4, offset: 120 },
    });
    const firstValues = firstHeaderValues(first.headers);
    expect(firstValues.get(RETRY_HEADERS.attempts)).toBe('1');
    expect(firstValues.get(RETRY_HEADERS.dueAt)).toBe(String(NOW + 10_000));
    expect(firstValues.get(RETRY_HEADERS.originalTimestamp)).toBe(String(NOW - 5));

    // The record as the retry topic holds it: what the listener reads there.
    const inRetry = raw('readings-retry-10000', 4, 7, first.headers);
    expect(dueAtOf(inRetry)).toBe(NOW + 10_000);
    const second = hop(inRetry, 'still none');
    expect(second.route).toMatchObject({
      topic: 'readings-retry-60000',
      origin: { topic: 'readings', offset: 120 },
    });
    expect(firstHeaderValues(second.headers).get(RETRY_HEADERS.attempts)).toBe('2');
    expect(second.headers.filter((h) => RETRY_HEADERS.dueAt in h)).toEqual([
      { [RETRY_HEADERS.dueAt]: String(NOW + 60_000) },
    ]);

    const last = hop(raw('readings-retry-60000', 4, 3, second.headers), 'gave up');
    expect(last.route).toMatchObject({ topic: 'readings.DLT', like: 'readings' });
    const values = firstHeaderValues(last.headers);
    expect(values.get(DLT_HEADERS.originalTopic)).toBe('readings');
    expect(values.get(DLT_HEADERS.originalPartition)).toBe('4');
    expect(values.get(DLT_HEADERS.originalOffset)).toBe('120');
    expect(values.get(DLT_HEADERS.exceptionMessage)).toBe('gave up');
    expect(values.has(RETRY_HEADERS.dueAt)).toBe(false);
    const at = new Date(NOW).toISOString();
    expect(
      last.headers.filter((h) => RETRY_HEADERS.failure in h).map((h) => String(h[RETRY_HEADERS.failure])),
    ).toEqual([
      `${at} readings:4:120 after 3 attempts: TypeError: no reference data`,
      `${at} readings-retry-10000:4:7 after 3 attempts: TypeError: still none`,
      `${at} readings-retry-60000:4:3 after 3 attempts: TypeError: gave up`,
    ]);
    expect(last.headers[0]).toEqual({ trace: 'x' });
  });
});
