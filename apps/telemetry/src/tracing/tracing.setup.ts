import { ConfigError } from '../config/env.parsers';

let shutdown: (() => Promise<void>) | undefined;

/**
 * Starts OpenTelemetry tracing when the standard environment asks for it:
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) exports OTLP over HTTP,
 * `OTEL_TRACES_EXPORTER=console` prints spans, `none` (or nothing set) leaves tracing off and the
 * SDK unloaded. The exporter, the batch processor and the sampler read their own `OTEL_*`
 * variables. Called before the application module is loaded: the `pg` instrumentation patches
 * the driver as it loads.
 */
export async function startTracing(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  const exporter =
    env.OTEL_TRACES_EXPORTER ??
    (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : 'none');
  if (exporter === 'none') return false;
  if (exporter !== 'otlp' && exporter !== 'console')
    throw new ConfigError(`OTEL_TRACES_EXPORTER must be otlp, console or none (got "${exporter}")`);
  const { registerTracing } = await import('./tracing.sdk');
  const provider = registerTracing(env.OTEL_SERVICE_NAME ?? serviceName, exporter);
  shutdown = () => provider.shutdown();
  return true;
}

/** Exports the spans not yet sent; called as the process stops. */
export async function stopTracing(): Promise<void> {
  await shutdown?.();
  shutdown = undefined;
}
