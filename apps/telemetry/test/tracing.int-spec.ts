import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, eventually, KafkaAdmin, TestDatabase, uniqueName } from '@org/testing';
import { killLeftoverTelemetry, startTelemetry, TelemetryProcess } from './telemetry-app.process';

const SIMULATOR_MAIN = join(__dirname, '../dist/simulator/simulator.main.js');
const READINGS = 40;

/** A span as an OTLP/JSON export carries it, with the service that sent it. */
interface ExportedSpan {
  service: string;
  scope: string;
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  links: { traceId: string; spanId: string }[];
}

type OtlpJson = {
  resourceSpans: {
    resource: { attributes: { key: string; value: { stringValue?: string } }[] };
    scopeSpans: { scope: { name: string }; spans: Omit<ExportedSpan, 'service' | 'scope'>[] }[];
  }[];
};

/** An OTLP/HTTP collector in the test: keeps every span POSTed to /v1/traces. */
async function startCollector(): Promise<{ server: Server; endpoint: string; spans: ExportedSpan[] }> {
  const spans: ExportedSpan[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      const exported = JSON.parse(body) as OtlpJson;
      for (const { resource, scopeSpans } of exported.resourceSpans) {
        const service = resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '';
        for (const { scope, spans: scoped } of scopeSpans)
          for (const span of scoped)
            spans.push({
              ...span,
              service,
              scope: scope.name,
              parentSpanId: span.parentSpanId ?? '',
              links: span.links ?? [],
            });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans };
}

describe('the telemetry app traced end to end: simulator → Kafka → batch → PostgreSQL, exported over OTLP (real broker and database)', () => {
  const admin = new KafkaAdmin();
  let database: TestDatabase;
  let app: TelemetryProcess | undefined;
  beforeAll(async () => {
    database = await createTestDatabase('telemetry_tracing');
  });
  afterEach(killLeftoverTelemetry);
  afterAll(async () => {
    await database?.drop();
    admin.close();
  });

  it("links each batch span to the simulator's send spans, with the database writes as its children", async () => {
    const collector = await startCollector();
    const topic = uniqueName('telemetry_traced');
    const tracing = { OTEL_EXPORTER_OTLP_ENDPOINT: collector.endpoint, OTEL_BSP_SCHEDULE_DELAY: '200' };
    const env = {
      DATABASE_URL: database.url,
      TELEMETRY_TOPIC: topic,
      TELEMETRY_GROUP_ID: uniqueName('telemetry_traced_writer'),
      TELEMETRY_PARTITIONS: '2',
    };
    try {
      app = startTelemetry({ ...env, ...tracing });
      await app.listening();
      const simulator = await promisify(execFile)(
        process.execPath,
        [
          SIMULATOR_MAIN,
          '--mode',
          'backlog',
          '--devices',
          String(READINGS),
          '--count',
          String(READINGS),
        ].concat([
          '--invalid-ratio',
          '0',
          '--duplicate-ratio',
          '0',
          '--trace-ratio',
          '1',
          '--progress',
          'off',
          '--json',
        ]),
        { env: { ...process.env, ...env, ...tracing } },
      );
      expect(JSON.parse(simulator.stdout)).toMatchObject({ sent: READINGS, delivered: READINGS });

      const sends = () =>
        collector.spans.filter((s) => s.service === 'telemetry-simulator' && s.name === `send ${topic}`);
      const batches = () =>
        collector.spans.filter((s) => s.service === 'telemetry' && s.name === `process ${topic}`);
      const linked = () => new Set(batches().flatMap((b) => b.links.map((l) => `${l.traceId}/${l.spanId}`)));
      await eventually(
        () => sends().length === READINGS && linked().size === READINGS,
        'every send span linked from a batch span',
        60_000,
      );
      expect([...linked()].sort()).toEqual(
        sends()
          .map((s) => `${s.traceId}/${s.spanId}`)
          .sort(),
      );

      // Each batch's writes are its children: the bulk upserts, and pg's own spans under them.
      const batchIds = new Set(batches().map((b) => b.spanId));
      const writes = collector.spans.filter(
        (s) => batchIds.has(s.parentSpanId) && s.name.startsWith('INSERT '),
      );
      expect(new Set(writes.map((w) => w.name))).toEqual(
        new Set(['INSERT telemetry_readings', 'INSERT device_latest']),
      );
      const writeIds = new Set(writes.map((w) => w.spanId));
      const queries = collector.spans.filter((s) => s.scope === '@opentelemetry/instrumentation-pg');
      expect(queries.some((q) => writeIds.has(q.parentSpanId))).toBe(true);
      expect(queries.some((q) => batchIds.has(q.parentSpanId))).toBe(true);
    } finally {
      collector.server.close();
    }
  });
});
