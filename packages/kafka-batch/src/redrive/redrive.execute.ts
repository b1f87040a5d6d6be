import { systemClock } from '../common/clock';
import { messageOf } from '../common/errors';
import type { RedriveOptions } from './redrive.options';
import { RdKafkaRedriveSink, RdKafkaRedriveSource } from './redrive.rdkafka';
import { RedriveListener, RedriveProgress, RedriveSession } from './redrive.session';

export interface RedriveOutcome {
  progress: RedriveProgress;
  /** Why the session stopped before its end; what committed stays committed. */
  failure?: string;
}

/**
 * One redrive on librdkafka, for the command and the console: its clients are closed whatever
 * happens. Rejects only when they cannot connect; a failed session resolves with how far it got.
 */
export async function executeRedrive(
  options: RedriveOptions,
  listener: RedriveListener,
): Promise<RedriveOutcome> {
  const source = await RdKafkaRedriveSource.connect(options);
  const sink = options.dryRun
    ? undefined
    : await RdKafkaRedriveSink.connect(options, source).catch(async (err) => {
        await source.close();
        throw err;
      });
  const session = new RedriveSession(options, source, sink, systemClock, listener);
  try {
    return { progress: await session.run() };
  } catch (err) {
    return { progress: session.current, failure: messageOf(err) };
  } finally {
    await sink?.close();
    await source.close();
  }
}
