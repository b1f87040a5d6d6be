import 'reflect-metadata';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaBatchMetrics } from '@org/kafka-batch/metrics';
import { Registry } from 'prom-client';
import { parse, parseAllDocuments } from 'yaml';
import { telemetryConfigFromEnv } from '../../src/config/telemetry.config';
import { TelemetryHealthController } from '../../src/health/telemetry.health.controller';
import { MetricsController } from '../../src/metrics/metrics.controller';
import { READINGS_LISTENER_ID } from '../../src/readings/telemetry-readings.listener';
import { tracingResource } from '../../src/tracing/tracing.sdk';

/* eslint-disable @typescript-eslint/no-explicit-any -- manifests are untyped YAML */
const dir = join(__dirname, '../../../../deploy/k8s');
const manifests: any[] = readdirSync(dir)
  .filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml')
  .flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => doc.toJS()));
const find = (kind: string) => {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};

/** The route a controller method answers, read from Nest's own metadata. */
function route(controller: new (...args: never[]) => unknown, method: string): string {
  const handler = (controller.prototype as Record<string, unknown>)[method] as object;
  expect(Reflect.getMetadata(METHOD_METADATA, handler)).toBe(0); // RequestMethod.GET
  const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
  const path = Reflect.getMetadata(PATH_METADATA, handler) as string;
  return `/${[base, path].filter((p) => p && p !== '/').join('/')}`;
}

describe('deploy/k8s', () => {
  const statefulSet = find('StatefulSet');
  const pod = statefulSet.spec.template.spec;
  const container = pod.containers[0];
  const configMap = find('ConfigMap');
  const secret = find('Secret');
  // The environment the container gets, as the service will read it.
  const env: Record<string, string> = {
    ...configMap.data,
    ...secret.stringData,
    ...Object.fromEntries(container.env.filter((e: any) => 'value' in e).map((e: any) => [e.name, e.value])),
  };

  it('serves the operator console read-only from a pod', () => {
    expect(telemetryConfigFromEnv(env).consoleReadOnly).toBe(true);
  });

  it('probes the service on the routes its health controller serves, on the port it listens on', () => {
    const config = telemetryConfigFromEnv(env);
    const http = container.ports.find((p: any) => p.name === 'http');
    expect(http.containerPort).toBe(config.httpPort);
    expect(container.livenessProbe.httpGet).toEqual({
      path: route(TelemetryHealthController, 'live'),
      port: 'http',
    });
    expect(container.readinessProbe.httpGet).toEqual({
      path: route(TelemetryHealthController, 'ready'),
      port: 'http',
    });
    expect(container.startupProbe.httpGet).toEqual(container.livenessProbe.httpGet);
    expect(statefulSet.spec.template.metadata.annotations).toMatchObject({
      'prometheus.io/port': String(config.httpPort),
      'prometheus.io/path': route(MetricsController, 'metrics'),
    });
  });

  it('gives the service a configuration it accepts, with secrets apart and no embedded database', () => {
    const config = telemetryConfigFromEnv(env);
    expect(config.databaseUrl).toBe(secret.stringData.DATABASE_URL);
    expect(config.embeddedDatabase).toBe('never');
    expect(Object.keys(configMap.data)).not.toEqual(
      expect.arrayContaining(['DATABASE_URL', 'KAFKA_SASL_PASSWORD']),
    );
    expect(container.envFrom).toEqual([
      { configMapRef: { name: configMap.metadata.name } },
      { secretRef: { name: secret.metadata.name } },
    ]);
  });

  it('feeds static membership from stable pod names, and outlasts the shutdown drain', () => {
    expect(container.env).toContainEqual({
      name: 'POD_NAME',
      valueFrom: { fieldRef: { fieldPath: 'metadata.name' } },
    });
    const { shutdownTimeoutMs } = telemetryConfigFromEnv(env);
    // The drain, then the final commit and leaving the group: a few seconds more.
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(shutdownTimeoutMs + 10_000);
    expect(container.resources.requests).toMatchObject({
      cpu: expect.any(String),
      memory: expect.any(String),
    });
    expect(container.resources.limits.memory).toEqual(expect.any(String));
  });

  it('lets a pod read its own StatefulSet, and nothing else, to tell a scale-down from a restart', () => {
    expect(telemetryConfigFromEnv({ ...env, KUBERNETES_SERVICE_HOST: '10.0.0.1' }).leaveGroupOnShutdown).toBe(
      'scale-down',
    );
    const account = find('ServiceAccount');
    expect(pod.serviceAccountName).toBe(account.metadata.name);
    const binding = find('RoleBinding');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: account.metadata.name }]);
    const role = find('Role');
    expect(binding.roleRef).toEqual({
      apiGroup: 'rbac.authorization.k8s.io',
      kind: 'Role',
      name: role.metadata.name,
    });
    expect(role.rules).toEqual([
      {
        apiGroups: ['apps'],
        resources: ['statefulsets'],
        resourceNames: [statefulSet.metadata.name],
        verbs: ['get'],
      },
    ]);
    expect(parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')).resources).toContain('rbac.yaml');
  });

  it('scales the StatefulSet with KEDA on the lag in seconds the library reports, up to one pod per partition', async () => {
    const keda = join(dir, 'keda');
    expect(parse(readFileSync(join(keda, 'kustomization.yaml'), 'utf8')).resources).toEqual([
      '..',
      'scaledobject.yaml',
    ]);
    const scaled = parse(readFileSync(join(keda, 'scaledobject.yaml'), 'utf8'));
    expect(scaled.kind).toBe('ScaledObject');
    expect(scaled.spec.scaleTargetRef).toEqual({
      apiVersion: 'apps/v1',
      kind: statefulSet.kind,
      name: statefulSet.metadata.name,
    });
    expect(scaled.spec.maxReplicaCount).toBe(telemetryConfigFromEnv(env).partitions);
    expect(scaled.spec.minReplicaCount).toBe(statefulSet.spec.replicas);
    const [trigger] = scaled.spec.triggers;
    expect(trigger).toMatchObject({ type: 'prometheus', metricType: 'Value' });
    expect(Number(trigger.metadata.threshold)).toBeGreaterThan(0);
    // The query reads a gauge the library registers, for the app's listener.
    const [, metric, listener] = /^max\((\w+)\{listener="([^"]+)"\}\)$/.exec(trigger.metadata.query)!;
    const registry = new Registry();
    new KafkaBatchMetrics(
      { all: () => [], onRegister: () => () => undefined } as never,
      { snapshot: () => undefined } as never,
      { registry },
    ).onApplicationBootstrap();
    expect((await registry.getMetricsAsJSON()).map((m) => m.name)).toContain(metric);
    expect(listener).toBe(READINGS_LISTENER_ID);
    // Each pod removed is a rebalance: one pod at a time.
    expect(scaled.spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.policies).toEqual([
      { type: 'Pods', value: 1, periodSeconds: expect.any(Number) },
    ]);
  });

  it('exports traces to a collector through the standard OTEL variables, each span naming its pod', () => {
    expect(['http:', 'https:']).toContain(new URL(env.OTEL_EXPORTER_OTLP_ENDPOINT).protocol);
    expect(env.OTEL_SERVICE_NAME).toBe('telemetry');
    // The samplers the SDK knows by name (@opentelemetry/sdk-trace-base); an unknown one falls back silently.
    expect(['parentbased_traceidratio', 'traceidratio']).toContain(env.OTEL_TRACES_SAMPLER);
    expect(Number(env.OTEL_TRACES_SAMPLER_ARG)).toBeGreaterThan(0);
    expect(Number(env.OTEL_TRACES_SAMPLER_ARG)).toBeLessThanOrEqual(1);
    // Kubernetes expands $(POD_NAME) only when POD_NAME comes earlier in the list.
    const names = container.env.map((e: any) => e.name);
    expect(names.indexOf('OTEL_RESOURCE_ATTRIBUTES')).toBeGreaterThan(names.indexOf('POD_NAME'));
    const attributes = env.OTEL_RESOURCE_ATTRIBUTES;
    expect(attributes).toContain('k8s.pod.name=$(POD_NAME)');
    const saved = process.env.OTEL_RESOURCE_ATTRIBUTES;
    process.env.OTEL_RESOURCE_ATTRIBUTES = attributes.replace('$(POD_NAME)', 'telemetry-1');
    try {
      expect(tracingResource(env.OTEL_SERVICE_NAME).attributes).toEqual({
        'service.name': 'telemetry',
        'k8s.pod.name': 'telemetry-1',
        'k8s.statefulset.name': statefulSet.metadata.name,
      });
    } finally {
      if (saved === undefined) delete process.env.OTEL_RESOURCE_ATTRIBUTES;
      else process.env.OTEL_RESOURCE_ATTRIBUTES = saved;
    }
  });

  it('selects the same pods everywhere: StatefulSet, its headless Service and the PodDisruptionBudget', () => {
    const service = find('Service');
    const budget = find('PodDisruptionBudget');
    const labels = statefulSet.spec.template.metadata.labels;
    expect(statefulSet.spec.serviceName).toBe(service.metadata.name);
    expect(service.spec.clusterIP).toBe('None');
    expect(labels).toMatchObject(statefulSet.spec.selector.matchLabels);
    expect(labels).toMatchObject(service.spec.selector);
    expect(labels).toMatchObject(budget.spec.selector.matchLabels);
    expect(budget.spec.maxUnavailable).toBe(1);
    expect(service.spec.ports[0].targetPort).toBe('http');
  });
});
