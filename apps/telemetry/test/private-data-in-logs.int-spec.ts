import { Logger, LoggerService } from '@nestjs/common';
import { createTestDatabase, TestDatabase } from '@org/testing';
import { DataSource } from 'typeorm';
import { telemetryDataSourceOptions } from '../src/database/telemetry.data-source';
import { killLeftoverTelemetry, startTelemetry } from './telemetry-app.process';

/** Secrets of a connection string, each where a regular expression once let it through. */
const SECRETS = ['Raw-At-Secret', 'Query-Secret', 'Ssl-Secret'];

describe('the service keeps secrets and readings out of its logs', () => {
  afterEach(killLeftoverTelemetry);

  it.each([
    [
      'a server refusing the connection',
      {
        DATABASE_URL: '',
        // The server answers, and refuses a role it does not know.
        LOCAL_DATABASE_URL: `postgres://no_such_role:p@ss-${SECRETS[0]}@127.0.0.1:5432/telemetry?sslpassword=${SECRETS[2]}&password=${SECRETS[1]}`,
      },
      'PostgreSQL at postgres://no_such_role:***@127.0.0.1:5432/telemetry?sslpassword=***&password=*** refused the connection',
    ],
    [
      'a DATABASE_URL that is no URL',
      { DATABASE_URL: `postgres://app:p@ss-${SECRETS[0]}@db:99999/telemetry?password=${SECRETS[1]}` },
      'DATABASE_URL must be a URL postgres://user[:password]@host[:port]/database (got "postgres://***@db:99999/telemetry?password=***")',
    ],
  ])('names the database without its secrets when it cannot start: %s', async (_, env, reported) => {
    const service = startTelemetry(env);

    expect(await service.exited).toEqual({ code: 1, signal: null });
    expect(service.output()).toContain(reported);
    for (const secret of SECRETS) expect(service.output()).not.toContain(secret);
  });

  describe('a failed query', () => {
    const READING = 'device-of-Jane-Doe';
    let database: TestDatabase;
    const logged: string[] = [];
    const capture = (message: unknown) => void logged.push(String(message));
    const logger: LoggerService = { log: capture, warn: capture, error: capture };

    beforeAll(async () => {
      database = await createTestDatabase('telemetry_log_privacy');
      Logger.overrideLogger(logger);
    });
    afterAll(() => database?.drop());
    beforeEach(() => logged.splice(0));

    async function failInsert(logParameters: boolean): Promise<void> {
      const dataSource = await new DataSource(
        telemetryDataSourceOptions(database.url, logParameters),
      ).initialize();
      try {
        const insert =
          'INSERT INTO telemetry_readings (device_id, recorded_at, temperature) VALUES ($1, now(), $2)';
        await expect(dataSource.query(insert, [READING, 21.5])).rejects.toThrow(
          /violates not-null constraint/,
        );
      } finally {
        await dataSource.destroy();
      }
    }

    it('is not logged with its bound values', async () => {
      await failInsert(false);

      expect(logged.join('\n')).not.toContain(READING);
    });

    it('is logged with its statement, detail and bound values with DATABASE_LOG_PARAMETERS=true', async () => {
      await failInsert(true);

      expect(logged).toEqual([expect.stringMatching(/^query failed: null value in column "humidity"/)]);
      expect(logged[0]).toContain('Failing row contains');
      expect(logged[0]).toContain(`parameters: [ '${READING}', 21.5 ]`);
    });
  });
});
