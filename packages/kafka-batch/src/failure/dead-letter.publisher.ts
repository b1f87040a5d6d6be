import { Producer, ProducerGlobalConfig, ProducerTopicConfig } from '@confluentinc/kafka-javascript';
import { Logger } from '@nestjs/common';
import { asError } from '../common/errors';
import type { DeadLetterStackTrace, LibrdkafkaConfig } from '../interfaces/batch-listener-options.interface';
import { traceDeadLetter } from '../tracing/dead-letter.tracer';
import { publishWithFallback } from './dead-letter.fallback';
import { callsForNewProducer, DeadLetterProducer } from './dead-letter.producer';
import { deadLetterRoute } from './dead-letter.route';
import type { RetryTopics } from './retry-topics';
import { DEFAULT_DEAD_LETTER_STACK_TRACE } from './dead-letter.stack-trace';
import type { DeadLetter, DeadLetterResult, Provenance } from './dead-letter.types';

export { DLT_HEADERS } from './dead-letter.headers';
export type { DeadLetter, DeadLetterPart, DeadLetterResult } from './dead-letter.types';

const DELIVERY_TIMEOUT_MS = 30_000;

/** The settings of the producer a DeadLetterPublisher is given, on top of the module's common ones. */
export function deadLetterProducerConfig(
  commonConfig: LibrdkafkaConfig,
): ProducerGlobalConfig & ProducerTopicConfig {
  return {
    ...commonConfig,
    // The producer's own retries neither duplicate nor reorder dead letters.
    'enable.idempotence': true,
    acks: -1,
    'linger.ms': 5,
    // An unconfirmed dead letter fails within this bound (instead of librdkafka's five minutes),
    // so the batch logs it, retries it, or gives up when its partition was revoked meanwhile.
    'message.timeout.ms': DELIVERY_TIMEOUT_MS,
    dr_cb: true,
  };
}

/**
 * Publishes failed records to their dead-letter topic (created like its source topic when
 * missing) and reports, letter by letter, what the broker confirmed: the caller may let the offset
 * pass those, and publishes only the failed ones again. A producer whose letter timed out is
 * replaced by a new one from `createProducer` for the next attempt.
 */
export class DeadLetterPublisher {
  private readonly logger = new Logger(DeadLetterPublisher.name);
  private readonly provenance: Provenance;
  private producer: DeadLetterProducer | undefined;
  private readonly replaced = new Set<Promise<void>>();

  /**
   * `createProducer`: a producer made with deadLetterProducerConfig(), not connected yet. With
   * `retryTopics`, a failed record goes to its next retry topic, and to its source topic's
   * dead-letter topic after the last.
   */
  constructor(
    private readonly createProducer: () => Producer,
    groupId: string,
    private readonly topicFor: (sourceTopic: string) => string,
    stackTrace: DeadLetterStackTrace = DEFAULT_DEAD_LETTER_STACK_TRACE,
    private readonly retryTopics?: RetryTopics,
  ) {
    this.provenance = { groupId, stackTrace };
  }

  /** One result per letter, in order; never rejects. */
  publish(letters: readonly DeadLetter[]): Promise<DeadLetterResult[]> {
    return Promise.all(letters.map((letter) => this.publishOne(letter)));
  }

  /** Creates the retry topics missing, each like its source topic; rejects when one cannot be. */
  async prepare(): Promise<void> {
    if (!this.retryTopics) return;
    const topics = await this.current().topics();
    await Promise.all(this.retryTopics.topics().map(({ topic, like }) => topics.partitionCount(topic, like)));
  }

  async close(): Promise<void> {
    const current = this.producer;
    this.producer = undefined;
    await Promise.all([current?.close(), ...this.replaced]);
  }

  private async publishOne(letter: DeadLetter): Promise<DeadLetterResult> {
    const producer = this.current();
    const result = await this.publishWith(producer, letter);
    if (result.status === 'failed' && callsForNewProducer(result.error)) this.replace(producer, result.error);
    return result;
  }

  private current(): DeadLetterProducer {
    return (this.producer ??= new DeadLetterProducer(this.createProducer(), this.logger));
  }

  private async publishWith(producer: DeadLetterProducer, letter: DeadLetter): Promise<DeadLetterResult> {
    try {
      const topics = await producer.topics();
      const route = this.retryTopics?.route(letter) ?? deadLetterRoute(letter, this.topicFor);
      const { topic, origin } = route;
      const partitions = await topics.partitionCount(topic, route.like);
      // The source record's partition: a key's records stay together through every hop.
      const partition = origin.partition < partitions ? origin.partition : null;
      const result = await traceDeadLetter(letter, topic, (traced) =>
        publishWithFallback(
          traced,
          this.provenance,
          (record, alone) => producer.send(topic, partition, record, alone),
          route,
        ),
      );
      return route.retry && result.status !== 'failed' ? { ...result, retryTopic: topic } : result;
    } catch (err) {
      return { status: 'failed', error: asError(err) };
    }
  }

  /** Letters sent together fail together: the first of them replaces the producer, once. */
  private replace(producer: DeadLetterProducer, cause: Error): void {
    if (this.producer !== producer) return;
    this.producer = undefined;
    this.logger.warn(`replacing the dead-letter producer for the next attempt: ${cause.message}`);
    const closed = producer.close();
    this.replaced.add(closed);
    void closed.finally(() => this.replaced.delete(closed));
  }
}
