import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { KafkaClientFactory } from '../client/kafka-client.factory';
import { messageOf } from '../common/errors';
import { executeRedrive } from '../redrive/redrive.execute';
import { parseRedriveOptions, RedriveOptions } from '../redrive/redrive.options';
import type { RedriveProgress } from '../redrive/redrive.session';

export interface RedriveRequest {
  deadLetterTopic: string;
  exception?: string;
  message?: string;
  dryRun?: boolean;
}

export interface RedriveRun {
  id: number;
  deadLetterTopic: string;
  group: string;
  dryRun: boolean;
  startedAt: number;
  endedAt: number | undefined;
  progress: RedriveProgress | undefined;
  /** A dry run's first lines: what it would send. */
  wouldSend: string[];
  failure: string | undefined;
}

const DRY_RUN_LINES = 50;
const KEPT_RUNS = 20;

/**
 * Redrives started from the console: the command's session, in the application's process, on the
 * module's connection settings. The same group and transactions as the command: a redrive started
 * here and again from the command line sends each letter once.
 */
@Injectable()
export class ConsoleRedrives implements OnModuleDestroy {
  private readonly runs: RedriveRun[] = [];
  private readonly running = new Set<Promise<void>>();
  private nextId = 1;

  constructor(private readonly clients: KafkaClientFactory) {}

  list(): RedriveRun[] {
    return this.runs;
  }

  /** Starts a redrive in the background; throws on a bad request (the command's own checks). */
  start(request: RedriveRequest): RedriveRun {
    const options = this.optionsOf(request);
    const run: RedriveRun = {
      id: this.nextId++,
      deadLetterTopic: options.deadLetterTopic,
      group: options.group,
      dryRun: options.dryRun,
      startedAt: Date.now(),
      endedAt: undefined,
      progress: undefined,
      wouldSend: [],
      failure: undefined,
    };
    this.runs.unshift(run);
    this.runs.length = Math.min(this.runs.length, KEPT_RUNS);
    const done = this.execute(options, run).finally(() => this.running.delete(done));
    this.running.add(done);
    return run;
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.running);
  }

  private optionsOf({ deadLetterTopic, exception, message, dryRun }: RedriveRequest): RedriveOptions {
    const { 'bootstrap.servers': brokers, ...rdkafka } = this.clients.common('redrive');
    const argv = ['--from', deadLetterTopic, '--brokers', String(brokers)];
    if (exception) argv.push('--exception', exception);
    if (message) argv.push('--message', message);
    if (dryRun) argv.push('--dry-run');
    for (const [key, value] of Object.entries(rdkafka))
      if (key !== 'client.id' && typeof value !== 'function' && typeof value !== 'object')
        argv.push('-X', `${key}=${value}`);
    return parseRedriveOptions(argv, {}) as RedriveOptions;
  }

  private async execute(options: RedriveOptions, run: RedriveRun): Promise<void> {
    try {
      const outcome = await executeRedrive(options, {
        wouldSend: (letter, record) => {
          if (run.wouldSend.length < DRY_RUN_LINES)
            run.wouldSend.push(
              `${letter.partition}@${letter.offset} → ${record.topic} ${record.exceptionClass}: ${record.exceptionMessage}`,
            );
        },
        progress: (progress) => (run.progress = { ...progress }),
      });
      run.progress = outcome.progress;
      run.failure = outcome.failure;
    } catch (err) {
      run.failure = messageOf(err);
    } finally {
      run.endedAt = Date.now();
    }
  }
}
