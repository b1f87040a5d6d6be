import { redactDatabaseUrl } from './database-url.redaction';

describe('redactDatabaseUrl', () => {
  it.each([
    ['postgres://app:hunter2@db:5432/telemetry', 'postgres://app:***@db:5432/telemetry'],
    ['postgres://app:p@ss-Secret@db/telemetry', 'postgres://app:***@db/telemetry'],
    ['postgres://app:p%40ss@db/telemetry', 'postgres://app:***@db/telemetry'],
    ['postgres://:hunter2@db/telemetry', 'postgres://:***@db/telemetry'],
    [
      'postgresql://app@db/telemetry?sslmode=require&password=hunter2&sslpassword=k3y&sslkey=/run/k.pem',
      'postgresql://app@db/telemetry?sslmode=require&password=***&sslpassword=***&sslkey=***',
    ],
    [
      'postgres://app@db/telemetry?application_name=writer',
      'postgres://app@db/telemetry?application_name=writer',
    ],
    ['postgres://postgres@127.0.0.1:5432/telemetry', 'postgres://postgres@127.0.0.1:5432/telemetry'],
  ])('hides the secrets of the URL %s', (url, shown) => {
    expect(redactDatabaseUrl(url)).toBe(shown);
  });

  it.each([
    // An invalid port: the URL parser refuses it.
    [
      'postgres://app:p@ss-Secret@db:99999/telemetry?password=hunter2',
      'postgres://***@db:99999/telemetry?password=***',
    ],
    // A password with "/" or "?": the parser takes its start for a port and the rest for the path.
    ['postgres://app:12/Secret@db/telemetry', 'postgres://***@db/telemetry'],
    ['postgres://app:12?Secret@db/telemetry', 'postgres://***@db/telemetry'],
    // No scheme: "app" would be the scheme and the rest its path.
    ['app:Secret@db:5432/telemetry', '***@db:5432/telemetry'],
    [
      "host=db user=app password='Top Secret' sslpassword=k3y",
      'host=db user=app password=*** sslpassword=***',
    ],
    [
      'postgres:///telemetry?host=/var/run/postgresql&password=hunter2',
      'postgres:///telemetry?host=/var/run/postgresql&password=***',
    ],
  ])('shows only what follows the last "@" of %s, which is no URL with a host', (text, shown) => {
    expect(redactDatabaseUrl(text)).toBe(shown);
  });
});
