import { Producer } from '@confluentinc/kafka-javascript';
import { readTopic, uniqueName, useDedicatedBroker } from '@org/testing';
import {
  deadLetterProducerConfig,
  DeadLetterPublisher,
  DLT_HEADERS,
} from '../../src/failure/dead-letter.publisher';

jest.setTimeout(120_000);

describe('DeadLetterPublisher across a broker outage (a broker of its own)', () => {
  const own = useDedicatedBroker();

  it('replaces the producer whose letters timed out while the broker was down, and publishes through a new one once it is back', async () => {
    const topic = uniqueName('dlt_outage');
    await own.admin.createTopic(topic, 2);
    const producers: string[] = [];
    const publisher = new DeadLetterPublisher(
      () => {
        const clientId = `dead-letter-outage-${producers.push('created')}`;
        // Three seconds instead of thirty, so a letter times out while the broker is down.
        return new Producer({
          ...deadLetterProducerConfig({ 'bootstrap.servers': own.broker.bootstrap, 'client.id': clientId }),
          'message.timeout.ms': 3_000,
        });
      },
      'outage-group',
      (source) => `${source}.DLT`,
    );
    const letter = (offset: number) => ({
      raw: { topic, partition: 1, offset, value: Buffer.from(`record ${offset}`), size: 8 },
      reason: new Error(`invalid record ${offset}`),
      attempts: 1,
    });
    try {
      expect(await publisher.publish([letter(0)])).toEqual([{ status: 'published' }]);

      await own.broker.pause();
      const duringOutage = await publisher.publish([letter(1), letter(2)]);
      await own.broker.resume();
      const afterOutage = await publisher.publish([letter(1), letter(2)]);

      expect(duringOutage).toEqual([
        { status: 'failed', error: expect.objectContaining({ message: 'Local: Message timed out' }) },
        { status: 'failed', error: expect.objectContaining({ message: 'Local: Message timed out' }) },
      ]);
      expect(afterOutage).toEqual([{ status: 'published' }, { status: 'published' }]);
      expect(producers).toHaveLength(2);
    } finally {
      await publisher.close();
    }
    const dead = await readTopic(`${topic}.DLT`, 2, 3, { bootstrap: own.broker.bootstrap, drain: true });
    expect(dead.map((d) => [d.partition, d.headers[DLT_HEADERS.originalOffset]])).toEqual([
      [1, '0'],
      [1, '1'],
      [1, '2'],
    ]);
  });
});
