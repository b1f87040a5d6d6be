import type { Message } from '@confluentinc/kafka-javascript';

/** A record as librdkafka hands it over, before decoding. */
export type RawRecord = Message;
