import { KafkaConsumer, Message } from '@confluentinc/kafka-javascript';
import { Injectable } from '@nestjs/common';
import { KafkaClientFactory } from '../client/kafka-client.factory';
import { fromCallback } from '../client/rdkafka.types';
import { DLT_HEADERS, firstHeaderValues } from '../failure/dead-letter.headers';

const TIMEOUT_MS = 10_000;
const PREVIEW_BYTES = 300;

export interface DeadLetterPreview {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number | undefined;
  key: string | null;
  originalTopic: string | undefined;
  originalPartition: string | undefined;
  originalOffset: string | undefined;
  exceptionClass: string | undefined;
  exceptionMessage: string | undefined;
  /** The value's first bytes as UTF-8. */
  value: string | null;
}

/** Reads the newest letters of dead-letter topics, without a consumer group: it commits nothing. */
@Injectable()
export class ConsoleDeadLetters {
  constructor(private readonly clients: KafkaClientFactory) {}

  /** The newest `limit` letters over the topics' partitions, newest first; a missing topic has none. */
  async newest(topics: readonly string[], limit: number): Promise<DeadLetterPreview[]> {
    const consumer = new KafkaConsumer(
      { ...this.clients.common('console'), 'group.id': 'kafka-batch-console', 'enable.auto.commit': false },
      {},
    );
    await fromCallback((done) => consumer.connect({ timeout: TIMEOUT_MS }, done));
    try {
      const spans = (await Promise.all(topics.map((topic) => this.spans(consumer, topic, limit)))).flat();
      const wanted = spans.reduce((sum, s) => sum + s.end - s.start, 0);
      if (wanted === 0) return [];
      consumer.assign(spans.map(({ topic, partition, start }) => ({ topic, partition, offset: start })));
      const letters: Message[] = [];
      for (const deadline = Date.now() + TIMEOUT_MS; letters.length < wanted && Date.now() < deadline;)
        letters.push(...(await fromCallback<Message[]>((done) => consumer.consume(500, done))));
      return letters
        .sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0))
        .slice(0, limit)
        .map(preview);
    } finally {
      await fromCallback((done) => consumer.disconnect(done)).catch(() => undefined);
    }
  }

  private async spans(consumer: KafkaConsumer, topic: string, limit: number) {
    const metadata = await fromCallback<{ topics: { name: string; partitions: { id: number }[] }[] }>(
      (done) => consumer.getMetadata({ topic, timeout: TIMEOUT_MS }, done),
    ).catch(() => undefined);
    const partitions = metadata?.topics.find((t) => t.name === topic)?.partitions ?? [];
    return Promise.all(
      partitions.map(async ({ id: partition }) => {
        const { lowOffset, highOffset } = await fromCallback<{ lowOffset: number; highOffset: number }>(
          (done) => consumer.queryWatermarkOffsets(topic, partition, TIMEOUT_MS, done),
        );
        return { topic, partition, start: Math.max(lowOffset, highOffset - limit), end: highOffset };
      }),
    );
  }
}

function preview(message: Message): DeadLetterPreview {
  const headers = firstHeaderValues(message.headers);
  return {
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
    timestamp: message.timestamp,
    key: message.key === null || message.key === undefined ? null : message.key.toString(),
    originalTopic: headers.get(DLT_HEADERS.originalTopic),
    originalPartition: headers.get(DLT_HEADERS.originalPartition),
    originalOffset: headers.get(DLT_HEADERS.originalOffset),
    exceptionClass: headers.get(DLT_HEADERS.exceptionClass),
    exceptionMessage: headers.get(DLT_HEADERS.exceptionMessage),
    value: message.value === null ? null : message.value.subarray(0, PREVIEW_BYTES).toString('utf8'),
  };
}
