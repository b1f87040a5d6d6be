import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { KafkaBatchMetrics } from './kafka-batch.metrics';

/** The dashboard only graphs metrics the library actually exports (histograms add suffixes). */
describe('deploy/grafana/kafka-batch.dashboard.json', () => {
  const dashboard = JSON.parse(
    readFileSync(join(__dirname, '../../../../deploy/grafana/kafka-batch.dashboard.json'), 'utf8'),
  ) as { panels: { targets: { expr: string }[] }[] };

  it('queries only metric names KafkaBatchMetrics registers', async () => {
    const registry = new Registry();
    const metrics = new KafkaBatchMetrics(
      { all: () => [], onRegister: () => () => undefined } as never,
      { snapshot: () => undefined } as never,
      { registry },
    );
    metrics.onApplicationBootstrap();
    const exported = new Set(
      (await registry.getMetricsAsJSON()).flatMap(({ name, type }) =>
        String(type) === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name],
      ),
    );
    const queried = dashboard.panels.flatMap((p) =>
      p.targets.flatMap((t) => t.expr.match(/kafka_batch_[a-z_]+/g) ?? []),
    );
    expect(queried.length).toBeGreaterThan(10);
    expect(queried.filter((name) => !exported.has(name))).toEqual([]);
    metrics.onApplicationShutdown();
    expect(await registry.getMetricsAsJSON()).toEqual([]);
  });
});
