import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { wireClientConfig } from './wire-client.config';

describe('wireClientConfig', () => {
  it('connects where and as the librdkafka clients do', () => {
    const { bootstrap, settings } = wireClientConfig(
      {
        'bootstrap.servers': 'kafka-0:9094, SASL_PLAINTEXT://kafka-1:9095,[::1]:9096,kafka-2',
        'client.id': 'telemetry-readings-leave',
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanisms': 'scram-sha-512',
        'sasl.username': 'reader',
        'sasl.password': 's3cret',
      },
      10_000,
    );
    expect(bootstrap).toEqual([
      { host: 'kafka-0', port: 9094 },
      { host: 'kafka-1', port: 9095 },
      { host: '::1', port: 9096 },
      { host: 'kafka-2', port: 9092 },
    ]);
    expect(settings).toEqual({
      clientId: 'telemetry-readings-leave',
      timeoutMs: 10_000,
      security: { sasl: { mechanism: 'SCRAM-SHA-512', username: 'reader', password: 's3cret' } },
    });
  });

  it('reads the TLS files and verification settings of ssl and sasl_ssl', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wire-tls-'));
    writeFileSync(join(dir, 'ca.pem'), 'CA');
    const { settings } = wireClientConfig(
      {
        'bootstrap.servers': 'kafka:9093',
        'security.protocol': 'ssl',
        'ssl.ca.location': join(dir, 'ca.pem'),
        'ssl.certificate.pem': 'CERT',
        'ssl.key.pem': 'KEY',
        'ssl.key.password': 'pass',
        'ssl.endpoint.identification.algorithm': 'none',
      },
      1_000,
    );
    const { checkServerIdentity, ...tls } = settings.security.tls!;
    expect(tls).toEqual({ ca: 'CA', cert: 'CERT', key: 'KEY', passphrase: 'pass' });
    expect(checkServerIdentity?.('kafka', {} as never)).toBeUndefined();
    expect(settings.security.sasl).toBeUndefined();
  });

  it.each([
    [
      { 'security.protocol': 'sasl_ssl' },
      'sasl.mechanisms must be one of PLAIN, SCRAM-SHA-256, SCRAM-SHA-512 to remove a static member (got "GSSAPI")',
    ],
    [{ 'security.protocol': 'sasl_plaintext', 'sasl.mechanisms': 'OAUTHBEARER' }, '(got "OAUTHBEARER")'],
    [
      { 'security.protocol': 'tls' },
      'security.protocol must be one of plaintext, ssl, sasl_plaintext, sasl_ssl (got "tls")',
    ],
    [
      { 'security.protocol': 'ssl', 'ssl.ca.location': '/nonexistent/ca.pem' },
      'ssl.ca.location: cannot read /nonexistent/ca.pem',
    ],
  ])('names the setting it cannot work with: %j', (config, message) => {
    expect(() => wireClientConfig({ 'bootstrap.servers': 'kafka:9092', ...config }, 1_000)).toThrow(message);
  });
});
