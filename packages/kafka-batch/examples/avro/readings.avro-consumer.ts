import { Injectable } from '@nestjs/common';
import { BatchListener, KafkaBatch } from '@org/kafka-batch';
import { Schema, Type } from 'avsc';
import { avroDeserializer, registrySchemas } from './avro.deserializer';

/** The values of the Avro schema the producers register. */
export interface AvroReading {
  deviceId: string;
  measuredAt: number;
  temperature: number;
}

const schemas = registrySchemas(
  () => process.env.SCHEMA_REGISTRY_URL ?? 'http://localhost:8081', // read when a schema is first needed
  (schema) => Type.forSchema(JSON.parse(schema) as Schema),
);

@Injectable()
export class AvroReadingsConsumer {
  @BatchListener({
    topics: ['telemetry.avro'],
    groupId: 'avro-readers',
    deserializer: avroDeserializer<AvroReading>(schemas), // an unknown schema id: dead-lettered with the reason
  })
  async onBatch(batch: KafkaBatch<AvroReading>): Promise<void> {
    const hottest = Math.max(...batch.values.map((reading) => reading.temperature));
    console.log(`${batch.size} readings, hottest ${hottest} °C`);
  }
}
