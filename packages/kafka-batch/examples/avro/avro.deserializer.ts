import type { Type } from 'avsc';

/** Finds the Avro type of a schema id: a schema registry client, with its cache. */
export type SchemaLookup = (schemaId: number) => Promise<Type>;

/**
 * A `deserializer` for values in the schema registry's wire format (a zero byte, the schema id in
 * four bytes, the Avro body). The lookup is asynchronous; the listener awaits the records of a
 * batch side by side.
 */
export function avroDeserializer<T>(schemaOf: SchemaLookup) {
  return async function avro(value: Buffer | null): Promise<T> {
    if (!value || value.length < 5 || value[0] !== 0)
      throw new Error('not in the schema registry wire format');
    const type = await schemaOf(value.readInt32BE(1));
    return type.fromBuffer(value.subarray(5)) as T;
  };
}

/** Schemas fetched from a Confluent-compatible registry once per id, by any number of records. */
export function registrySchemas(registryUrl: () => string, parse: (schema: string) => Type): SchemaLookup {
  const schemas = new Map<number, Promise<Type>>();
  return (schemaId) => {
    let schema = schemas.get(schemaId);
    if (!schema) {
      schema = fetch(`${registryUrl()}/schemas/ids/${schemaId}`)
        .then((response) => {
          if (!response.ok) throw new Error(`schema ${schemaId}: registry answered ${response.status}`);
          return response.json() as Promise<{ schema: string }>;
        })
        .then((body) => parse(body.schema));
      // A failed fetch is tried again by the next record that needs it.
      schema.catch(() => schemas.delete(schemaId));
      schemas.set(schemaId, schema);
    }
    return schema;
  };
}
