import { sum } from '@org/kafka-offsets';
import { uniqueName, useDedicatedBroker } from '@org/testing';
import { ReadingsProducer } from '../src/simulator/readings.producer';

const STALL_MS = 2_000;

// The simulator's producer on a broker of its own, which the test stops: the drain that ends a
// simulation must give up, saying how many readings are unconfirmed, when the broker stops
// confirming, and lose none of them when it comes back.
describe("the simulator's producer when the broker stops confirming (real broker)", () => {
  const own = useDedicatedBroker();

  it('gives up after stallMs without a confirmation, naming the unconfirmed count, and delivers them all once the broker is back', async () => {
    const topic = uniqueName('simulator_stall');
    await own.admin.createTopic(topic, 3);
    const producer = new ReadingsProducer({ bootstrap: own.broker.bootstrap, topic });
    await producer.connect();
    try {
      for (let i = 0; i < 200; i++) expect(producer.send(`device-${i}`, `{"n":${i}}`)).toBe(true);
      await producer.drain(STALL_MS);
      expect(producer.delivered).toBe(200);

      await own.broker.pause();
      for (let i = 200; i < 300; i++) producer.send(`device-${i}`, `{"n":${i}}`);
      const drainStarted = Date.now();
      await expect(producer.drain(STALL_MS)).rejects.toThrow(
        `100 records still unconfirmed: none confirmed for ${STALL_MS} ms`,
      );
      expect(Date.now() - drainStarted).toBeGreaterThanOrEqual(STALL_MS);
      expect(producer.failed).toBe(0);

      await own.broker.resume();
      await producer.drain(60_000);
      expect(producer.delivered).toBe(300);
      expect(producer.failed).toBe(0);
      expect(sum(await own.admin.endOffsets(topic))).toBe(300);
    } finally {
      await producer.disconnect();
    }
  }, 120_000);
});
