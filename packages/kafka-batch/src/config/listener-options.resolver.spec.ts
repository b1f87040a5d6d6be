import { isTransientError } from '../failure/transient-error.classifier';
import { KafkaBatchConfigError, resolveListenerOptions } from './listener-options.resolver';

const valid = { topics: ['t'], groupId: 'g' };

describe('resolveListenerOptions', () => {
  it('applies library defaults under module defaults under the listener options', () => {
    const resolved = resolveListenerOptions(
      'L',
      { ...valid, maxPollRecords: 100 },
      { defaults: { concurrency: 2, maxPollRecords: 7 } },
    );
    expect(resolved).toMatchObject({
      id: 'L',
      maxPollRecords: 100,
      concurrency: 2,
      fetchMinBytes: 1024 * 1024,
      fetchMaxWaitMs: 500,
      ackMode: 'batch',
      autoOffsetReset: 'earliest',
      maxInFlightRecords: 10_000,
    });
    expect(resolved.retry).toEqual({
      attempts: 3,
      initialDelayMs: 200,
      multiplier: 2,
      maxDelayMs: 10_000,
      transient: isTransientError,
      bisect: true,
    });
    expect(resolved.maxBatchDurationMs).toBe(resolved.maxPollIntervalMs);
    expect(resolved.deadLetter.topic('readings')).toBe('readings.DLT');
    expect(resolved.valueLimits).toEqual({ maxBytes: 1024 * 1024, maxKeys: 10_000, maxDepth: 64 });
    expect(resolved.deadLetter.stackTrace).toBe('application');
  });

  it("puts the module's options for the listener's id over the decorator's, nested ones key by key", () => {
    const resolved = resolveListenerOptions(
      'L',
      {
        topicPattern: /^readings\./,
        groupId: 'g',
        maxPollRecords: 100,
        retry: { attempts: 5, bisect: false },
      },
      {
        defaults: { concurrency: 2 },
        listeners: {
          L: { topics: ['from-config'], groupId: 'configured', retry: { attempts: 9 } },
          other: { maxPollRecords: 1 },
        },
      },
    );
    expect(resolved).toMatchObject({
      topics: ['from-config'],
      topicPattern: undefined,
      groupId: 'configured',
      maxPollRecords: 100,
      concurrency: 2,
    });
    expect(resolved.retry).toMatchObject({ attempts: 9, bisect: false });
  });

  it('commits after every batch by default, and at most every 100 ms in exactly-once mode', () => {
    expect(resolveListenerOptions('L', valid).commitIntervalMs).toBe(0);
    expect(resolveListenerOptions('L', { ...valid, exactlyOnce: true }).commitIntervalMs).toBe(100);
    expect(
      resolveListenerOptions('L', { ...valid, exactlyOnce: true }, { defaults: { commitIntervalMs: 0 } })
        .commitIntervalMs,
    ).toBe(0);
    expect(resolveListenerOptions('L', { ...valid, commitIntervalMs: 5_000 }).commitIntervalMs).toBe(5_000);
  });

  it('takes the topics from the module when the decorator names none', () => {
    const resolved = resolveListenerOptions('L', {}, { listeners: { L: { topics: ['t'], groupId: 'g' } } });
    expect(resolved).toMatchObject({ topics: ['t'], groupId: 'g' });
  });

  it("names the module's override in the error when an option is invalid", () => {
    expect(() =>
      resolveListenerOptions('L', valid, {
        listeners: { L: { maxPollRecords: 0, ackMode: 'auto' as 'batch' } },
      }),
    ).toThrow(
      `@BatchListener "L" (with KafkaBatchModule option listeners["L"]): option "maxPollRecords" must be an integer in 1..100000 (got 0); option "ackMode" must be one of 'manual', 'batch', 'record' (got "auto")`,
    );
  });

  it.each([
    [{ maxPollRecords: 0 }, 'option "maxPollRecords" must be an integer in 1..100000 (got 0)'],
    [
      { valueLimits: { maxDepth: 0 } },
      'option "valueLimits.maxDepth" must be an integer in 1..100000 (got 0)',
    ],
    [
      { valueLimits: { maxKeys: 1.5 } },
      'option "valueLimits.maxKeys" must be an integer in 1..100000000 (got 1.5)',
    ],
    [{ maxPollRecords: 100_001 }, 'option "maxPollRecords" must be an integer in 1..100000 (got 100001)'],
    [{ groupId: undefined }, 'option "groupId" must be a non-empty string (the consumer group id)'],
    [{ commitIntervalMs: -1 }, 'option "commitIntervalMs" must be an integer in 0..3600000 (got -1)'],
    [
      { topics: [] },
      'option "topics" must be a non-empty list of topic names (or set topicPattern) (got [])',
    ],
    [{ ackMode: 'auto' }, `option "ackMode" must be one of 'manual', 'batch', 'record' (got "auto")`],
    [
      { deserializer: 'avro' },
      `option "deserializer" must be one of 'json', 'string', 'raw' or a function (got "avro")`,
    ],
    [
      { autoOffsetReset: 'smallest' },
      `option "autoOffsetReset" must be one of 'earliest', 'latest', 'error' (got "smallest")`,
    ],
    [
      { sessionTimeoutMs: 9_000, heartbeatIntervalMs: 4_000 },
      'option "heartbeatIntervalMs" must be at most a third of sessionTimeoutMs (3000) (got 4000)',
    ],
    [{ retry: { attempts: 0 } }, 'option "retry.attempts" must be an integer in 1..1000 (got 0)'],
    [{ retry: { bisect: 'yes' as never } }, 'option "retry.bisect" must be true or false (got "yes")'],
    [{ maxBatchDurationMs: 10 }, 'option "maxBatchDurationMs" must be an integer in 100..86400000 (got 10)'],
    [{ topicPattern: /^t/ }, 'options "topics" and "topicPattern" exclude each other'],
    [
      { assignor: 'sticky' },
      `option "assignor" must be one of 'cooperative-sticky', 'range', 'roundrobin' (got "sticky")`,
    ],
    [{ groupProtocol: 'next' }, `option "groupProtocol" must be one of 'classic', 'consumer' (got "next")`],
    [
      { topics: ['t', ''] },
      'option "topics" must be a non-empty list of topic names (or set topicPattern) (got ["t",""])',
    ],
    [
      { deadLetter: { enabled: undefined } },
      'option "deadLetter.enabled" must be true or false (got undefined)',
    ],
    [
      { deadLetter: { stackTrace: 'short' as never } },
      `option "deadLetter.stackTrace" must be one of 'application', 'none', 'full' (got "short")`,
    ],
    [
      { validate: 'ReadingDto' as never },
      'option "validate" must be a class-validator DTO class (got "ReadingDto")',
    ],
    [{ groupInstanceId: '' }, `option "groupInstanceId" must be a string, 'auto' or false (got "")`],
    [
      { maxPollRecords: 600, maxInFlightRecords: 500 },
      'option "maxInFlightRecords" must be at least maxPollRecords (600) (got 500)',
    ],
    [
      { groupProtocol: 'consumer', sessionTimeoutMs: 10_000 },
      `option "sessionTimeoutMs" is not allowed with groupProtocol 'consumer': the broker sets it`,
    ],
    [
      { groupProtocol: 'consumer', assignor: 'range' },
      `option "assignor" is not allowed with groupProtocol 'consumer'`,
    ],
    [
      { groupProtocol: 'consumer', rdkafka: { 'heartbeat.interval.ms': 100 } },
      `rdkafka property "heartbeat.interval.ms" is not allowed with groupProtocol 'consumer'`,
    ],
  ])('rejects %j naming the listener, the option and the allowed values', (bad, message) => {
    const attempt = () => resolveListenerOptions('Readings.onBatch', { ...valid, ...bad } as never);
    expect(attempt).toThrow(KafkaBatchConfigError);
    expect(attempt).toThrow(`@BatchListener "Readings.onBatch": `);
    expect(attempt).toThrow(message);
  });

  it.each([
    [
      'enable.auto.commit',
      'is set by the library: it commits an offset only once every record below it is done',
    ],
    [
      'auto.commit.enable',
      'is set by the library: it commits an offset only once every record below it is done',
    ],
    ['enable.auto.offset.store', 'is set by the library: it commits the offsets it tracks as done'],
    ['offset_commit_cb', 'is set by the library: it learns through it that the broker took a commit'],
    ['rebalance_cb', 'is set by the library: it assigns partitions through it'],
    ['enable.partition.eof', 'is set by the library: the poll loop takes every message'],
    ['group.id', 'is set by the library from option "groupId": set that option instead'],
    ['group.instance.id', 'is set by the library from option "groupInstanceId": set that option instead'],
    [
      'partition.assignment.strategy',
      'is set by the library from option "assignor": set that option instead',
    ],
    [
      'group.protocol',
      'is set by the library from option "groupProtocol" (the other group options are checked against it): set that option instead',
    ],
    ['session.timeout.ms', 'is set by the library from option "sessionTimeoutMs"'],
    ['max.poll.interval.ms', 'is set by the library from option "maxPollIntervalMs"'],
    [
      'auto.commit.interval.ms',
      'is set by the library from option "commitIntervalMs" (the listener commits, not librdkafka, which would silently ignore it): set that option instead',
    ],
  ])('rejects the rdkafka property %s, which the library sets, saying why', (property, why) => {
    const attempt = () => resolveListenerOptions('L', { ...valid, rdkafka: { [property]: false } });
    expect(attempt).toThrow(KafkaBatchConfigError);
    expect(attempt).toThrow(`@BatchListener "L": rdkafka property "${property}" ${why}`);
  });

  it("checks the module defaults' rdkafka properties too, and lets the others through", () => {
    expect(() =>
      resolveListenerOptions(
        'L',
        { ...valid, rdkafka: { 'fetch.max.bytes': 1024 } },
        { defaults: { rdkafka: { 'enable.auto.commit': true } } },
      ),
    ).toThrow('rdkafka property "enable.auto.commit" is set by the library');
    expect(
      resolveListenerOptions('L', { ...valid, rdkafka: { 'isolation.level': 'read_uncommitted' } }).rdkafka,
    ).toEqual({ 'isolation.level': 'read_uncommitted' });
  });

  it('defaults to cooperative-sticky under the classic protocol and accepts the consumer protocol alone', () => {
    expect(resolveListenerOptions('L', valid)).toMatchObject({
      assignor: 'cooperative-sticky',
      groupProtocol: 'classic',
    });
    expect(resolveListenerOptions('L', { ...valid, groupProtocol: 'consumer' }).groupProtocol).toBe(
      'consumer',
    );
  });

  it('accepts a topic pattern instead of topics, and a custom deserializer', () => {
    const resolved = resolveListenerOptions('L', {
      groupId: 'g',
      topicPattern: /^readings\./,
      deserializer: (v) => v,
    });
    expect(resolved.topics).toEqual([]);
    expect(resolved.topicPattern).toEqual(/^readings\./);
  });
});
