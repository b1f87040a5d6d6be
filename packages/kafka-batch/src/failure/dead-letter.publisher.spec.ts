import type { Producer } from '@confluentinc/kafka-javascript';
import { DeadLetterPublisher } from './dead-letter.publisher';
import type { DeadLetter } from './dead-letter.types';

const letter = (offset: number): DeadLetter => ({
  raw: { topic: 'readings', partition: 0, offset, value: Buffer.from('v'), size: 1 },
  reason: new Error('invalid value'),
  attempts: 0,
});

/** A producer whose connection attempts fail, as they do while the cluster is unreachable. */
function unreachableProducer() {
  const producer = {
    connectAttempts: 0,
    on: () => producer,
    connect: (_options: unknown, done: (err: Error) => void) => {
      producer.connectAttempts++;
      done(Object.assign(new Error('Local: Broker transport failure'), { code: -195 }));
    },
    disconnect: jest.fn(),
  };
  return producer;
}

describe('DeadLetterPublisher', () => {
  it('reports every letter as failed when the producer cannot connect, and connects again on the next publish', async () => {
    const producer = unreachableProducer();
    const publisher = new DeadLetterPublisher(producer as unknown as Producer, 'g', (t) => `${t}.DLT`);

    const results = await publisher.publish([letter(0), letter(1)]);

    expect(results).toEqual([
      { status: 'failed', error: expect.objectContaining({ message: 'Local: Broker transport failure' }) },
      { status: 'failed', error: expect.objectContaining({ message: 'Local: Broker transport failure' }) },
    ]);
    await publisher.publish([letter(0)]);
    expect(producer.connectAttempts).toBe(2);
  });

  it('answers an empty list with no results, without connecting, and closes without disconnecting', async () => {
    const producer = unreachableProducer();
    const publisher = new DeadLetterPublisher(producer as unknown as Producer, 'g', (t) => `${t}.DLT`);

    expect(await publisher.publish([])).toEqual([]);
    await publisher.close();
    expect(producer.connectAttempts).toBe(0);
    expect(producer.disconnect).not.toHaveBeenCalled();
  });
});
