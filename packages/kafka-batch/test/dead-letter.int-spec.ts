import { KafkaConsumer, Message, Producer } from '@confluentinc/kafka-javascript';
import {
  fromCallback,
  KafkaAdmin,
  kafkaBootstrap,
  produceRecords,
  readTopic,
  uniqueName,
  waitForLagZero,
} from '@org/testing';
import {
  DeadLetter,
  deadLetterProducerConfig,
  DeadLetterPublisher,
  DLT_HEADERS,
} from '../src/failure/dead-letter.publisher';
import { ListenerApp, startListenerApp } from './listener-app';

/** A topic's records as librdkafka delivers them: readTopic turns keys and headers into strings. */
async function readMessages(topic: string, expected: number): Promise<Message[]> {
  const consumer = new KafkaConsumer(
    { 'bootstrap.servers': kafkaBootstrap(), 'group.id': 'dead-letter-reader', 'enable.auto.commit': false },
    {},
  );
  await fromCallback((done) => consumer.connect({}, done));
  consumer.assign([{ topic, partition: 0, offset: 0 }]);
  const messages: Message[] = [];
  try {
    const deadline = Date.now() + 20_000;
    while (messages.length < expected && Date.now() < deadline)
      messages.push(...(await fromCallback<Message[]>((done) => consumer.consume(1000, done))));
  } finally {
    await fromCallback((done) => consumer.disconnect(done));
  }
  return messages;
}

const hex = (bytes: Buffer | string | null | undefined) =>
  bytes === null || bytes === undefined ? bytes : Buffer.from(bytes).toString('hex');

const headerList = (message: Message) =>
  (message.headers ?? []).flatMap((header) =>
    Object.entries(header).map(([name, value]) => [name, hex(value)]),
  );

const header = (message: Message, name: string) =>
  headerList(message)
    .filter(([n]) => n === name)
    .map(([, value]) => Buffer.from(value!, 'hex').toString());

const isDltHeader = ([name]: (string | null | undefined)[]) => name!.startsWith('kafka_dlt-');

const letter = (raw: Message, reason = new Error('rejected by the handler'), attempts = 3): DeadLetter => ({
  raw,
  reason,
  attempts,
});

/** A record as librdkafka delivers it: Buffers for value, key and header values. */
const delivered = (
  topic: string,
  offset: number,
  value: Buffer | null,
  key: Buffer | null = null,
  headers?: Record<string, Buffer>[],
): Message => ({
  topic,
  partition: 0,
  offset,
  value,
  key,
  headers,
  size: value?.length ?? 0,
  timestamp: 1_700_000_000_000,
});

describe('DeadLetterPublisher (real broker)', () => {
  let admin: KafkaAdmin;
  const publishers: DeadLetterPublisher[] = [];
  const apps: ListenerApp[] = [];

  beforeAll(() => {
    admin = new KafkaAdmin();
  });

  afterEach(async () => {
    await Promise.all([
      ...publishers.splice(0).map((publisher) => publisher.close()),
      ...apps.splice(0).map((app) => app.close()),
    ]);
  });
  afterAll(() => admin.close());

  function newPublisher(
    groupId: string,
    topicFor = (source: string) => `${source}.DLT`,
  ): DeadLetterPublisher {
    const publisher = new DeadLetterPublisher(
      () =>
        new Producer(
          deadLetterProducerConfig({ 'bootstrap.servers': kafkaBootstrap(), 'client.id': 'dead-letter-it' }),
        ),
      groupId,
      topicFor,
    );
    publishers.push(publisher);
    return publisher;
  }

  async function newTopic(prefix: string): Promise<string> {
    const topic = uniqueName(prefix);
    await admin.createTopic(topic, 1);
    return topic;
  }

  it('keeps value, key and headers byte for byte: empty stays empty, null stays null, binary stays binary, repeated names in order', async () => {
    const topic = await newTopic('dlt_bytes');
    const binary = Buffer.from([0x00, 0xff, 0x80, 0x0a]);
    const letters = [
      letter(delivered(topic, 0, Buffer.alloc(0), Buffer.alloc(0), [{ empty: Buffer.alloc(0) }])),
      letter(delivered(topic, 1, null, null)),
      letter(
        delivered(topic, 2, binary, Buffer.from([0xff, 0xfe, 0x00]), [
          { trace: Buffer.from('first') },
          { bin: Buffer.from([0x00, 0xff, 0xc3]) },
          { trace: Buffer.from('second') },
          { trace: Buffer.from('first') },
        ]),
      ),
    ];

    const results = await newPublisher(uniqueName('g')).publish(letters);

    expect(results).toEqual([{ status: 'published' }, { status: 'published' }, { status: 'published' }]);
    const dead = await readMessages(`${topic}.DLT`, 3);
    const byOffset = new Map(dead.map((m) => [header(m, DLT_HEADERS.originalOffset)[0], m]));
    const own = (offset: string) => {
      const m = byOffset.get(offset)!;
      return { value: hex(m.value), key: hex(m.key), headers: headerList(m).filter((h) => !isDltHeader(h)) };
    };
    expect(own('0')).toEqual({ value: '', key: '', headers: [['empty', '']] });
    expect(own('1')).toEqual({ value: null, key: null, headers: [] });
    expect(own('2')).toEqual({
      value: '00ff800a',
      key: 'fffe00',
      headers: [
        ['trace', hex('first')],
        ['bin', '00ffc3'],
        ['trace', hex('second')],
        ['trace', hex('first')],
      ],
    });
  });

  it('strips the kafka_dlt-* headers a source record brings and writes the real ones exactly once', async () => {
    const topic = await newTopic('dlt_forged');
    await produceRecords(topic, [
      {
        key: 'k',
        value: 'v',
        headers: {
          [DLT_HEADERS.originalTopic]: 'forged-topic',
          [DLT_HEADERS.originalOffset]: '999',
          [DLT_HEADERS.exceptionMessage]: 'forged message',
          [DLT_HEADERS.dropped]: 'value',
          trace: 't1',
        },
      },
    ]);
    const [source] = await readMessages(topic, 1);
    const groupId = uniqueName('g');

    await newPublisher(groupId).publish([letter(source, new TypeError('bad reading'), 2)]);

    const [dead] = await readMessages(`${topic}.DLT`, 1);
    const names = headerList(dead).map(([name]) => name);
    expect(names).toEqual([
      'trace',
      DLT_HEADERS.originalTopic,
      DLT_HEADERS.originalPartition,
      DLT_HEADERS.originalOffset,
      DLT_HEADERS.originalTimestamp,
      DLT_HEADERS.originalConsumerGroup,
      DLT_HEADERS.exceptionClass,
      DLT_HEADERS.exceptionMessage,
      DLT_HEADERS.exceptionStacktrace,
      DLT_HEADERS.attempts,
    ]);
    expect(header(dead, DLT_HEADERS.originalTopic)).toEqual([topic]);
    expect(header(dead, DLT_HEADERS.originalOffset)).toEqual(['0']);
    expect(header(dead, DLT_HEADERS.originalConsumerGroup)).toEqual([groupId]);
    expect(header(dead, DLT_HEADERS.exceptionClass)).toEqual(['TypeError']);
    expect(header(dead, DLT_HEADERS.exceptionMessage)).toEqual(['bad reading']);
    expect(header(dead, DLT_HEADERS.attempts)).toEqual(['2']);
  });

  it('publishes a letter too large with its headers without the value (then without key and headers), and the others of its batch whole', async () => {
    const topic = await newTopic('dlt_large');
    // The broker's default limit (1 MB) takes these; with the dead-letter headers they exceed the producer's.
    await produceRecords(topic, [
      { key: 'small', value: 'ok' },
      { key: 'large-value', value: 'x'.repeat(999_000), headers: { trace: 't1' } },
      { key: 'k'.repeat(999_000), value: 'v', headers: { trace: 't2' } },
    ]);
    const sources = await readMessages(topic, 3);
    // A validation error listing many constraints: about 3 kB of headers with its stack trace.
    const reason = new Error(`invalid value: ${'temperature must be a number; '.repeat(50)}`);

    const results = await newPublisher(uniqueName('g')).publish(
      sources.map((source) => letter(source, reason)),
    );

    expect(results).toEqual([
      { status: 'published' },
      { status: 'published-without-value', dropped: ['value'], cause: expect.any(Error) },
      { status: 'published-without-value', dropped: ['value', 'key', 'headers'], cause: expect.any(Error) },
    ]);
    expect(results.map((r) => (r.status === 'published-without-value' ? r.cause.message : ''))).toEqual([
      '',
      'Broker: Message size too large',
      'Broker: Message size too large',
    ]);
    const dead = await readTopic(`${topic}.DLT`, 1, 3, { drain: true });
    expect(dead).toHaveLength(3);
    const [small, withoutValue, withoutAll] = [...dead].sort(
      (a, b) => Number(a.headers[DLT_HEADERS.originalOffset]) - Number(b.headers[DLT_HEADERS.originalOffset]),
    );
    expect(small.value!.toString()).toBe('ok');
    expect(small.headers[DLT_HEADERS.dropped]).toBeUndefined();
    expect(withoutValue).toMatchObject({ key: 'large-value', value: null });
    expect(withoutValue.headers).toMatchObject({
      trace: 't1',
      [DLT_HEADERS.originalTopic]: topic,
      [DLT_HEADERS.originalPartition]: '0',
      [DLT_HEADERS.originalOffset]: '1',
      [DLT_HEADERS.exceptionMessage]: reason.message,
      [DLT_HEADERS.dropped]: 'value',
      [DLT_HEADERS.droppedReason]: 'Broker: Message size too large',
      [DLT_HEADERS.originalValueSize]: '999000',
    });
    expect(withoutAll).toMatchObject({ key: null, value: null });
    expect(withoutAll.headers.trace).toBeUndefined();
    expect(withoutAll.headers).toMatchObject({
      [DLT_HEADERS.originalOffset]: '2',
      [DLT_HEADERS.dropped]: 'value,key,headers',
      [DLT_HEADERS.originalValueSize]: '1',
    });
  });

  it("publishes whole the neighbours of a letter the broker refuses for the topic's max.message.bytes", async () => {
    const topic = await newTopic('dlt_topic_limit');
    // Under the producer's limit, over the topic's: the broker refuses the whole batch it arrives in.
    await admin.createTopic(`${topic}.DLT`, 1, { 'max.message.bytes': '20000' });
    const letters = [10, 50_000, 10].map((size, offset) =>
      letter(delivered(topic, offset, Buffer.alloc(size, 'x'), Buffer.from(`k${offset}`))),
    );

    const results = await newPublisher(uniqueName('g')).publish(letters);

    expect(results.map((r) => r.status)).toEqual(['published', 'published-without-value', 'published']);
    const dead = await readTopic(`${topic}.DLT`, 1, 3, { drain: true });
    expect(dead.map((d) => [d.key, d.value?.length ?? null, d.headers[DLT_HEADERS.dropped]]).sort()).toEqual([
      ['k0', 10, undefined],
      ['k1', null, 'value'],
      ['k2', 10, undefined],
    ]);
  });

  it('stamps a dead letter with the time of publishing, so a topic bounding timestamps takes an old record', async () => {
    const topic = await newTopic('dlt_old');
    await admin.createTopic(`${topic}.DLT`, 1, { 'message.timestamp.before.max.ms': '3600000' });
    const twoDaysAgo = Date.now() - 2 * 24 * 3600_000;
    await produceRecords(topic, [{ key: 'k', value: 'v', timestamp: twoDaysAgo }]);
    const [source] = await readMessages(topic, 1);
    const startedAt = Date.now();

    const results = await newPublisher(uniqueName('g')).publish([letter(source)]);

    expect(results).toEqual([{ status: 'published' }]);
    const [dead] = await readMessages(`${topic}.DLT`, 1);
    expect(dead.timestamp).toBeGreaterThanOrEqual(startedAt - 1000);
    expect(header(dead, DLT_HEADERS.originalTimestamp)).toEqual([String(twoDaysAgo)]);
  });

  it('reports per letter, so publishing only the failed one again duplicates nothing', async () => {
    const [healthy, broken] = [await newTopic('dlt_healthy'), await newTopic('dlt_broken')];
    let unwritable = true;
    const publisher = newPublisher(uniqueName('g'), (source) =>
      source === broken && unwritable ? 'illegal name!' : `${source}.DLT`,
    );
    const letters = [
      letter(delivered(healthy, 0, Buffer.from('a'))),
      letter(delivered(broken, 0, Buffer.from('b'))),
      letter(delivered(healthy, 1, Buffer.from('c'))),
    ];

    const first = await publisher.publish(letters);

    expect(first.map((r) => r.status)).toEqual(['published', 'failed', 'published']);
    unwritable = false;
    expect(await publisher.publish([letters[1]])).toEqual([{ status: 'published' }]);
    const healthyDead = await readTopic(`${healthy}.DLT`, 1, 2, { drain: true });
    const brokenDead = await readTopic(`${broken}.DLT`, 1, 1, { drain: true });
    expect(healthyDead.map((d) => d.value!.toString())).toEqual(['a', 'c']);
    expect(brokenDead.map((d) => d.value!.toString())).toEqual(['b']);
  });

  it('reports every letter as failed when the dead-letter topic cannot be written, without rejecting', async () => {
    const topic = await newTopic('dlt_illegal');
    const letters = [0, 1, 2].map((offset) => letter(delivered(topic, offset, Buffer.from(`v${offset}`))));

    const results = await newPublisher(uniqueName('g'), () => 'illegal name!').publish(letters);

    expect(results).toEqual(letters.map(() => ({ status: 'failed', error: expect.any(Error) })));
    for (const result of results)
      expect(result.status === 'failed' && result.error.message).toMatch(/invalid topic/i);
  });

  it('lets a listener past a record too large to dead-letter whole: without its value, every dead letter once, valid records stored', async () => {
    const [topic, groupId] = [await newTopic('dlt_hostile'), uniqueName('g')];
    // Taken by the broker (1 MB), too large for the producer's limit once the dead-letter headers are added.
    const hostile = 'x'.repeat(999_500);
    await produceRecords(topic, [
      { key: 'valid-0', value: { i: 0 } },
      { key: 'invalid-1', value: 'not json' },
      { key: 'hostile-2', value: hostile },
      { key: 'valid-3', value: { i: 3 } },
    ]);
    const handled: unknown[] = [];

    apps.push(
      await startListenerApp({ topics: [topic], groupId }, (batch) => {
        handled.push(...batch.values);
      }),
    );
    await waitForLagZero(admin, groupId, topic, { timeoutMs: 30_000 });

    expect(handled).toEqual([{ i: 0 }, { i: 3 }]);
    const dead = await readTopic(`${topic}.DLT`, 1, 2, { drain: true });
    expect(dead.map((d) => [d.key, d.value?.toString() ?? null, d.headers[DLT_HEADERS.dropped]])).toEqual([
      ['invalid-1', 'not json', undefined],
      ['hostile-2', null, 'value'],
    ]);
    expect(dead[1].headers[DLT_HEADERS.originalValueSize]).toBe(String(hostile.length));
  });
});
