import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Inject,
  NotFoundException,
  Optional,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import type { ListenerContainer } from '../container/listener-container.interface';
import { KafkaListenerRegistry } from '../container/listener-container.registry';
import type { SeekTarget } from '../container/partition.state';
import { KafkaLagMonitor } from '../lag/lag.monitor';
import { RedriveUsageError } from '../redrive/redrive.options';
import { ConsoleDeadLetters } from './console.dead-letters';
import { ConsoleGuard } from './console.guard';
import { KAFKA_BATCH_CONSOLE_OPTIONS, ResolvedConsoleOptions } from './console.options';
import { CONSOLE_PAGE } from './console.page';
import { ConsoleRecorder } from './console.recorder';
import { ConsoleRedrives, RedriveRequest } from './console.redrives';

/** The console's page and API; its path is set by KafkaBatchConsoleModule.forRoot. */
@Controller()
@UseGuards(ConsoleGuard)
export class ConsoleController {
  constructor(
    private readonly registry: KafkaListenerRegistry,
    private readonly recorder: ConsoleRecorder,
    private readonly deadLetters: ConsoleDeadLetters,
    private readonly redrives: ConsoleRedrives,
    @Inject(KAFKA_BATCH_CONSOLE_OPTIONS) private readonly options: ResolvedConsoleOptions,
    @Optional() private readonly lag?: KafkaLagMonitor,
  ) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header(
    'content-security-policy',
    "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'",
  )
  page(): string {
    return CONSOLE_PAGE;
  }

  @Get('api/state')
  state() {
    return {
      now: Date.now(),
      readOnly: this.options.readOnly,
      listeners: this.registry.all().map((container) => this.describe(container)),
      redrives: this.redrives.list(),
    };
  }

  @Post('api/listeners/:id/pause')
  @HttpCode(204)
  pause(@Param('id') id: string): void {
    this.listener(id);
    this.registry.pause(id);
  }

  @Post('api/listeners/:id/resume')
  @HttpCode(204)
  resume(@Param('id') id: string): void {
    this.listener(id);
    this.registry.resume(id);
  }

  @Post('api/listeners/:id/seek')
  @HttpCode(204)
  seek(@Param('id') id: string, @Body() body: { topic?: string; partition?: number; to?: unknown }): void {
    this.listener(id);
    const { topic, partition, to } = body ?? {};
    if (typeof topic !== 'string' || !Number.isInteger(partition))
      throw new BadRequestException('seek needs { topic, partition, to }');
    try {
      this.registry.seek(id, topic, partition!, seekTarget(to));
    } catch (err) {
      throw new BadRequestException((err as Error).message);
    }
  }

  @Get('api/listeners/:id/dead-letters')
  deadLettersOf(@Param('id') id: string, @Query('limit') limit?: string) {
    const count = limit === undefined ? 20 : Number(limit);
    if (!Number.isInteger(count) || count < 1 || count > 500)
      throw new BadRequestException('limit must be an integer in 1..500');
    return this.deadLetters.newest(this.deadLetterTopics(this.listener(id)), count);
  }

  @Post('api/listeners/:id/redrive')
  redrive(
    @Param('id') id: string,
    @Body() body: Omit<RedriveRequest, 'deadLetterTopic'> & { topic?: string },
  ) {
    const topics = this.deadLetterTopics(this.listener(id));
    const deadLetterTopic = body?.topic ?? topics[0];
    if (!topics.includes(deadLetterTopic))
      throw new BadRequestException(
        `topic must be one of the listener's dead-letter topics: ${topics.join(', ')}`,
      );
    try {
      return this.redrives.start({ ...body, deadLetterTopic });
    } catch (err) {
      if (err instanceof RedriveUsageError) throw new BadRequestException(err.message);
      throw err;
    }
  }

  private listener(id: string): ListenerContainer {
    const container = this.registry.all().find((c) => c.options.id === id);
    if (!container) throw new NotFoundException(`no listener ${id}`);
    return container;
  }

  private deadLetterTopics({ options }: ListenerContainer): string[] {
    return options.topics.map((topic) => options.deadLetter.topic(topic));
  }

  private describe(container: ListenerContainer) {
    const { id, groupId, topics, topicPattern, concurrency, maxPollRecords, retryTopics } = container.options;
    const recorded = this.recorder.of(id);
    const lag = this.lag?.snapshot(id);
    return {
      id,
      groupId,
      topics: topicPattern ? [String(topicPattern)] : topics,
      deadLetterTopics: this.deadLetterTopics(container),
      retryTopicDelaysMs: retryTopics?.delaysMs ?? [],
      concurrency,
      maxPollRecords,
      state: container.state,
      paused: container.paused,
      error: container.error?.message,
      assignment: container.assignment,
      pausedPartitions: container.pausedPartitions(),
      inFlightRecords: container.inFlightRecords,
      batchesInFlight: container.batchesInFlight,
      oldestBatchStartedAt: container.oldestBatchStartedAt,
      lag: lag && {
        sampledAt: lag.sampledAt,
        error: lag.error,
        totalLag: lag.totalLag,
        maxLagSeconds: lag.maxLagSeconds,
        status: lag.status,
        partitions: lag.partitions
          .filter((p) => p.assigned)
          .map(({ topic, partition, lag: records, lagSeconds, consumeRate, status }) => ({
            ...{ topic, partition, lag: records, lagSeconds, consumeRate, status },
          })),
      },
      counts: recorded.counts,
      lastErrors: recorded.lastErrors,
      history: recorded.history,
    };
  }
}

function seekTarget(to: unknown): SeekTarget {
  if (to === 'beginning' || to === 'end') return to;
  if (typeof to === 'number' && Number.isInteger(to) && to >= 0) return to;
  if (typeof to === 'object' && to !== null && Number.isInteger((to as { timestamp?: unknown }).timestamp))
    return { timestamp: (to as { timestamp: number }).timestamp };
  throw new BadRequestException(
    `to must be an offset, 'beginning', 'end' or { timestamp } (got ${JSON.stringify(to)})`,
  );
}
