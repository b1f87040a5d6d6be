import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * The SDK: a provider exporting in batches (OTLP/HTTP or the console), registered globally, and
 * the `pg` instrumentation. Loaded only when tracing is on.
 */
export function registerTracing(serviceName: string, exporter: 'otlp' | 'console'): NodeTracerProvider {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [
      new BatchSpanProcessor(exporter === 'otlp' ? new OTLPTraceExporter() : new ConsoleSpanExporter()),
    ],
  });
  provider.register();
  registerInstrumentations({ instrumentations: [new PgInstrumentation()] });
  return provider;
}
