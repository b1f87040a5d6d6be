import { CODES, IAdminClient } from '@confluentinc/kafka-javascript';
import { Logger } from '@nestjs/common';
import { fromCallback } from '../client/rdkafka.types';
import { Clock, systemClock } from '../common/clock';

/**
 * How long a created topic may take to show in the broker's metadata. Under KRaft the controller
 * answers CreateTopics once the record is committed; a broker applies it a little later, and a
 * consumer subscribed meanwhile leaves the topic out until its next metadata refresh (5 minutes):
 * a retry topic went unassigned that way in CI.
 */
const VISIBLE_WITHIN_MS = 30_000;
const FIRST_LOOK_AFTER_MS = 50;
const LOOK_AT_MOST_EVERY_MS = 1_000;

/** The dead-letter topics' partition counts, each topic created like its source topic when missing. */
export class DeadLetterTopics {
  private readonly partitionCounts = new Map<string, Promise<number>>();

  constructor(
    private readonly admin: IAdminClient,
    private readonly logger: Logger,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Resolves once the broker's metadata holds the topic; rejects when it can be neither described
   * nor created (invalid name, not authorized, …).
   */
  partitionCount(topic: string, sourceTopic: string): Promise<number> {
    let count = this.partitionCounts.get(topic);
    if (!count) {
      count = this.createIfMissing(topic, sourceTopic);
      this.partitionCounts.set(topic, count);
      count.catch(() => this.partitionCounts.delete(topic));
    }
    return count;
  }

  private async createIfMissing(topic: string, sourceTopic: string): Promise<number> {
    const existing = await this.describe(topic);
    if (existing !== undefined) return existing;
    const partitions = (await this.describe(sourceTopic)) ?? 1;
    try {
      await fromCallback((done) =>
        this.admin.createTopic({ topic, num_partitions: partitions, replication_factor: -1 }, 30_000, done),
      );
      this.logger.log(`created dead-letter topic ${topic} (${partitions} partitions)`);
    } catch (err) {
      if ((err as { code?: number }).code !== CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS) throw err;
    }
    return this.visible(topic);
  }

  private async visible(topic: string): Promise<number> {
    const deadline = this.clock.now() + VISIBLE_WITHIN_MS;
    for (let wait = FIRST_LOOK_AFTER_MS; ; wait = Math.min(2 * wait, LOOK_AT_MOST_EVERY_MS)) {
      const partitions = await this.describe(topic);
      if (partitions !== undefined) return partitions;
      if (this.clock.now() >= deadline)
        throw new Error(
          `topic ${topic} was created but is not in the metadata after ${VISIBLE_WITHIN_MS} ms`,
        );
      await this.clock.sleep(wait);
    }
  }

  private async describe(topic: string): Promise<number | undefined> {
    const [description] = await fromCallback<
      { error?: { code: number; message: string }; partitions: unknown[] }[]
    >((done) => this.admin.describeTopics([topic], { timeout: 10_000 }, done));
    if (description.error?.code === CODES.ERRORS.ERR_UNKNOWN_TOPIC_OR_PART) return undefined;
    if (description.error)
      throw Object.assign(new Error(`cannot describe topic ${topic}: ${description.error.message}`), {
        code: description.error.code,
      });
    return description.partitions.length;
  }
}
