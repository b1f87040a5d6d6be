import { ConfigError } from '../config/env.parsers';
import { startTracing } from './tracing.setup';

describe('startTracing', () => {
  it('stays off, loading no SDK, when no exporter or endpoint is set', async () => {
    await expect(startTracing('telemetry', {})).resolves.toBe(false);
    await expect(startTracing('telemetry', { OTEL_TRACES_EXPORTER: 'none' })).resolves.toBe(false);
  });

  it('refuses an exporter it does not have, naming the allowed ones', async () => {
    await expect(startTracing('telemetry', { OTEL_TRACES_EXPORTER: 'jaeger' })).rejects.toThrow(
      new ConfigError('OTEL_TRACES_EXPORTER must be otlp, console or none (got "jaeger")'),
    );
  });
});
