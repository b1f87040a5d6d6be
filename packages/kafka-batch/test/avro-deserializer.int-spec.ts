import { DLT_HEADERS } from '@org/kafka-batch';
import { produceRecords, readTopic, waitForLagZero } from '@org/testing';
import { Type } from 'avsc';
import { avroDeserializer } from '../examples/avro/avro.deserializer';
import type { AvroReading } from '../examples/avro/readings.avro-consumer';
import { listenerSuite } from './listener-app';

// The README's Avro example, on the real broker, with the schema held here instead of a registry.
const READING = Type.forSchema({
  type: 'record',
  name: 'Reading',
  fields: [
    { name: 'deviceId', type: 'string' },
    { name: 'measuredAt', type: 'long' },
    { name: 'temperature', type: 'double' },
  ],
});
const SCHEMA_ID = 7;

/** The schema registry's wire format: a zero byte, the schema id, the Avro body. */
function wire(schemaId: number, reading: AvroReading): Buffer {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, READING.toBuffer(reading)]);
}

describe('an asynchronous Avro deserializer (real broker)', () => {
  const suite = listenerSuite();

  it('decodes typed values through an async schema lookup, side by side, and dead-letters an unknown schema', async () => {
    const { topic, groupId } = await suite.newTopic('avro', 1);
    const readings: AvroReading[] = Array.from({ length: 200 }, (_, i) => ({
      deviceId: `d${i}`,
      measuredAt: 1_765_000_000_000 + i,
      temperature: 20 + i / 10,
    }));
    await produceRecords(topic, [
      ...readings.map((reading) => ({ value: wire(SCHEMA_ID, reading) })),
      { value: wire(9, readings[0]) },
    ]);
    const lookups = { inFlight: 0, most: 0 };
    const deserializer = avroDeserializer<AvroReading>(async (schemaId) => {
      lookups.most = Math.max(lookups.most, ++lookups.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5)); // the registry's round trip
      lookups.inFlight--;
      if (schemaId !== SCHEMA_ID) throw new Error(`unknown schema id ${schemaId}`);
      return READING;
    });
    const received: AvroReading[] = [];
    await suite.start({ topics: [topic], groupId, maxPollRecords: 500, deserializer }, (batch) => {
      received.push(...(batch.values as AvroReading[]));
    });
    await waitForLagZero(suite.admin, groupId, topic, { timeoutMs: 30_000 });

    expect(received).toEqual(readings);
    expect(lookups.most).toBeGreaterThan(50);
    const [dead] = await readTopic(`${topic}.DLT`, 1, 1, { drain: true });
    expect(dead.headers[DLT_HEADERS.exceptionMessage]).toBe(
      'cannot deserialize value as avro: unknown schema id 9',
    );
  });
});
