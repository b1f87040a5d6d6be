import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  NodeTracerProvider,
  ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import type { BatchListenerOptions } from '../../../src/interfaces/batch-listener-options.interface';
import { Handler, Harness, startListener, TOPIC, tp } from '../fakes/listener.harness';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

/** A producer's span context, as the W3C header it writes: trace i, span i. */
const producer = (i: number) => ({
  traceId: (i + 1).toString(16).padStart(32, 'a'),
  spanId: (i + 1).toString(16).padStart(16, 'b'),
});
const traceparent = (i: number) => Buffer.from(`00-${producer(i).traceId}-${producer(i).spanId}-01`);

const processSpans = () => exporter.getFinishedSpans().filter((s) => s.name.startsWith('process'));
const linked = (span: ReadableSpan) =>
  span.links.map((l) => ({ traceId: l.context.traceId, spanId: l.context.spanId }));

describe('tracing: one OpenTelemetry process span per handler invocation', () => {
  let harness: Harness | undefined;
  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());
  afterEach(async () => {
    await harness?.stop();
    harness = undefined;
  });

  /** Records 0..count-1 on partition 0; those in `traced` carry their producer's traceparent. */
  async function consume(
    options: Partial<BatchListenerOptions>,
    count: number,
    traced: number[],
    handler?: Handler,
  ) {
    harness = await startListener({ maxPollRecords: 10, ...options }, handler);
    for (let i = 0; i < count; i++)
      harness.consumer.produce(
        TOPIC,
        0,
        [{ i }],
        traced.includes(i) ? { headers: [{ traceparent: traceparent(i) }] } : {},
      );
    harness.consumer.assignPartitions(tp(0));
    await harness.clock.until(() => harness!.consumer.committedAt(TOPIC, 0) === count, 'the commit');
  }

  it('a batch span follows the conventions and links to exactly the creation contexts the records carry', async () => {
    await consume({}, 4, [0, 2, 3]);
    const [span] = processSpans();
    expect(processSpans()).toHaveLength(1);
    expect(span.name).toBe(`process ${TOPIC}`);
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.attributes).toEqual({
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.operation.name': 'process',
      'messaging.consumer.group.name': 'g',
      'messaging.destination.name': TOPIC,
      'messaging.destination.partition.id': '0',
      'messaging.batch.message_count': 4,
      'kafka_batch.listener.id': 'L',
      'kafka_batch.offsets': [`${TOPIC}[0]@0-3`],
    });
    expect(linked(span)).toEqual([producer(0), producer(2), producer(3)]);
    expect(span.parentSpanContext).toBeUndefined();
  });

  it('caps the links at tracing.maxLinks and counts what it left out', async () => {
    await consume({ tracing: { maxLinks: 2 } }, 5, [0, 1, 2, 3, 4]);
    const [span] = processSpans();
    expect(linked(span)).toEqual([producer(0), producer(1)]);
    expect(span.attributes['kafka_batch.links_dropped']).toBe(3);
  });

  it("is the active context while the handler runs: the handler's own spans are its children", async () => {
    const tracer = trace.getTracer('the-handler');
    await consume({}, 2, [], async () => {
      await tracer.startActiveSpan('INSERT telemetry_readings', async (query) => query.end());
    });
    const [span] = processSpans();
    const query = exporter.getFinishedSpans().find((s) => s.name === 'INSERT telemetry_readings')!;
    expect(query.parentSpanContext?.spanId).toBe(span.spanContext().spanId);
    expect(query.spanContext().traceId).toBe(span.spanContext().traceId);
  });

  it("a record listener's span is the child of its record's creation context", async () => {
    await consume({ listenerType: 'record' }, 2, [1]);
    const [untraced, traced] = processSpans();
    expect(untraced.parentSpanContext).toBeUndefined();
    expect(untraced.attributes['messaging.kafka.offset']).toBe(0);
    expect(traced.spanContext().traceId).toBe(producer(1).traceId);
    expect(traced.parentSpanContext?.spanId).toBe(producer(1).spanId);
    expect(traced.attributes['messaging.batch.message_count']).toBeUndefined();
  });

  it('a failed invocation ends its span with the error; each retry is a span of its own', async () => {
    await consume({ retry: { attempts: 2, initialDelayMs: 10 } }, 1, [], (_batch, _ack, call) => {
      if (call === 1) throw new TypeError('device unknown');
    });
    const [failed, retried] = processSpans();
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'device unknown' });
    expect(failed.attributes['error.type']).toBe('TypeError');
    expect(failed.events.map((e) => e.name)).toEqual(['exception']);
    expect(retried.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('what the retry policy decides about a failed invocation is a child of its span: a retry backoff, a bisection, a later redelivery', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    await consume(
      { maxPollRecords: 4, retry: { attempts: 2, initialDelayMs: 10 } },
      4,
      [],
      (batch, _ack, call) => {
        if (call === 1) throw refused; // an outage: redelivered later, no attempt counted
        if (call === 2 || call === 3) throw new Error('offset 2 is bad'); // twice on all 4: bisected
        if (batch.records.some((r) => r.offset === 2)) throw new Error('offset 2 is bad');
      },
    );
    const byId = new Map(exporter.getFinishedSpans().map((s) => [s.spanContext().spanId, s]));
    const decisions = exporter
      .getFinishedSpans()
      .filter((s) => !s.name.startsWith('process'))
      .map((s) => ({
        name: s.name,
        parentFailed: byId.get(s.parentSpanContext!.spanId)?.status.code === SpanStatusCode.ERROR,
        attributes: s.attributes,
      }));
    expect(decisions.slice(0, 3)).toEqual([
      {
        name: 'redeliver later',
        parentFailed: true,
        attributes: { 'kafka_batch.decision': 'redeliver-later', 'kafka_batch.records': 4 },
      },
      {
        name: 'retry',
        parentFailed: true,
        attributes: {
          'kafka_batch.decision': 'retry',
          'kafka_batch.records': 4,
          'kafka_batch.backoff_ms': 10,
        },
      },
      {
        name: 'bisect',
        parentFailed: true,
        attributes: { 'kafka_batch.decision': 'bisect', 'kafka_batch.records': 4 },
      },
    ]);
  });

  it('makes no span with tracing: false', async () => {
    await consume({ tracing: false }, 3, [0]);
    expect(processSpans()).toEqual([]);
  });
});
