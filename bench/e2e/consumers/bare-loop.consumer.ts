// The client ceiling as a consumer process: librdkafka's consume loop with nothing done to the
// records. librdkafka commits in the background so the broker sees the group's lag go down.
import { BareConsumer } from '../../fixtures/bare.consumer';
import { consumerSettingsFromEnv } from './consumer.settings';
import { ProgressReporter } from './progress.reporter';

async function main(): Promise<void> {
  const settings = consumerSettingsFromEnv();
  const consumer = await BareConsumer.subscribe(settings.topic, settings.groupId, {
    'enable.auto.commit': true,
    'auto.commit.interval.ms': 200,
  });
  const progress = new ProgressReporter(settings.tickMs);
  progress.start();
  for (;;) progress.count((await consumer.next()).length);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
