import { AdminClient } from '@confluentinc/kafka-javascript';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Client } from 'pg';
import { TELEMETRY_CONFIG, TelemetryConfig } from './telemetry.config';

/** Fails the start, with the address it tried, when Kafka or PostgreSQL cannot be reached. */
@Injectable()
export class ConnectivityCheck implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConnectivityCheck.name);

  constructor(@Inject(TELEMETRY_CONFIG) private readonly config: TelemetryConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const [topics, serverVersion] = await Promise.all([this.kafkaTopics(), this.postgresVersion()]);
    this.logger.log(`Kafka at ${this.config.kafkaBootstrap} answers (${topics.length} topics)`);
    this.logger.log(`PostgreSQL answers (${serverVersion})`);
  }

  private kafkaTopics(): Promise<string[]> {
    const admin = AdminClient.create({
      'bootstrap.servers': this.config.kafkaBootstrap,
      'client.id': 'telemetry-startup',
    });
    return new Promise<string[]>((resolve, reject) =>
      admin.listTopics({ timeout: 10_000 }, (err, topics) => {
        admin.disconnect();
        if (err) reject(new Error(`Kafka at ${this.config.kafkaBootstrap} is not reachable: ${err.message}`));
        else resolve(topics);
      }),
    );
  }

  private async postgresVersion(): Promise<string> {
    const client = new Client({ connectionString: this.config.databaseUrl, connectionTimeoutMillis: 10_000 });
    try {
      await client.connect();
      const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
      return `PostgreSQL ${rows[0].server_version}`;
    } catch (err) {
      throw new Error(`PostgreSQL (DATABASE_URL) is not reachable: ${(err as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
