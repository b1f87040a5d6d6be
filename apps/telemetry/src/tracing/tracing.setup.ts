import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  SpanExporter,
} from '@opentelemetry/sdk-trace-node';
import { ConfigError } from '../config/env.parsers';

let provider: NodeTracerProvider | undefined;

/**
 * Starts OpenTelemetry tracing when the standard environment asks for it:
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) exports OTLP over HTTP,
 * `OTEL_TRACES_EXPORTER=console` prints spans, `none` (or nothing set) leaves tracing off. The
 * exporter, the batch processor and the sampler read their own `OTEL_*` variables. Called before
 * the application module is loaded: the `pg` instrumentation patches the driver as it loads.
 */
export function startTracing(serviceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const exporter = exporterFrom(env);
  if (!exporter) return false;
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': env.OTEL_SERVICE_NAME ?? serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  provider.register();
  registerInstrumentations({ instrumentations: [new PgInstrumentation()] });
  return true;
}

/** Exports the spans not yet sent; called as the process stops. */
export async function stopTracing(): Promise<void> {
  await provider?.shutdown();
  provider = undefined;
}

function exporterFrom(env: NodeJS.ProcessEnv): SpanExporter | undefined {
  const chosen =
    env.OTEL_TRACES_EXPORTER ??
    (env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ? 'otlp' : 'none');
  if (chosen === 'otlp') return new OTLPTraceExporter();
  if (chosen === 'console') return new ConsoleSpanExporter();
  if (chosen === 'none') return undefined;
  throw new ConfigError(`OTEL_TRACES_EXPORTER must be otlp, console or none (got "${chosen}")`);
}
