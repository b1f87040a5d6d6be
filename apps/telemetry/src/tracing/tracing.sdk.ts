import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { detectResources, envDetector, Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';

/**
 * The SDK: a provider exporting in batches (OTLP/HTTP or the console), registered globally, and
 * the `pg` instrumentation. Loaded only when tracing is on.
 */
export function registerTracing(serviceName: string, exporter: 'otlp' | 'console'): NodeTracerProvider {
  const provider = new NodeTracerProvider({
    resource: tracingResource(serviceName),
    spanProcessors: [
      new BatchSpanProcessor(exporter === 'otlp' ? new OTLPTraceExporter() : new ConsoleSpanExporter()),
    ],
  });
  provider.register();
  registerInstrumentations({ instrumentations: [new PgInstrumentation()] });
  return provider;
}

/** The service's name, then what `OTEL_RESOURCE_ATTRIBUTES` adds (the StatefulSet names the pod there). */
export function tracingResource(serviceName: string): Resource {
  return resourceFromAttributes({ 'service.name': serviceName }).merge(
    detectResources({ detectors: [envDetector] }),
  );
}
