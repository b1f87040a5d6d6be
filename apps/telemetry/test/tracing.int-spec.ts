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
  attributes: { key: string; value: { stringValue?: string } }[];
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
              attributes: span.attributes ?? [],
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

      // Each batch's write is its child: the batch's one statement, as pg's instrumentation traces it.
      const batchIds = new Set(batches().map((b) => b.spanId));
      const statementOf = (span: ExportedSpan) =>
        span.attributes.find((a) => a.key === 'db.statement' || a.key === 'db.query.text')?.value
          .stringValue ?? '';
      const queries = collector.spans.filter((s) => s.scope === '@opentelemetry/instrumentation-pg');
      const writes = queries.filter((q) => statementOf(q).includes('INSERT INTO telemetry_readings'));
      expect(writes.length).toBeGreaterThan(0);
      expect(writes.every((w) => batchIds.has(w.parentSpanId))).toBe(true);
      for (const table of ['telemetry_readings', 'device_latest', 'device_minutes'])
        expect(statementOf(writes[0])).toContain(`INSERT INTO ${table}`);
    } finally {
      collector.server.close();
    }
  });
});
