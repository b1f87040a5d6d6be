import type { KafkaAdmin } from '@org/testing';
import type { BenchDatabase } from './bench.database';
import type { E2eConfig } from './e2e.config';

/** What every scenario runs against: one broker, one database, one configuration. */
export interface ScenarioContext {
  admin: KafkaAdmin;
  database: BenchDatabase;
  config: E2eConfig;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
