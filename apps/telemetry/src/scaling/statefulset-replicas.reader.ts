import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';
const TIMEOUT_MS = 3_000;

/** Where and as whom the API server is asked: in a pod, its service account. */
export interface KubernetesApi {
  baseUrl: string;
  token: string;
  /** The cluster's CA; undefined for a plain-HTTP test server. */
  ca: string | undefined;
  namespace: string;
}

/** The API server a pod sees: KUBERNETES_SERVICE_HOST/PORT and the mounted service-account files. */
export function inClusterApi(env: NodeJS.ProcessEnv = process.env): KubernetesApi {
  const read = (file: string) => readFileSync(`${SERVICE_ACCOUNT_DIR}/${file}`, 'utf8').trim();
  return {
    baseUrl: `https://${env.KUBERNETES_SERVICE_HOST}:${env.KUBERNETES_SERVICE_PORT ?? '443'}`,
    token: read('token'),
    ca: read('ca.crt'),
    namespace: read('namespace'),
  };
}

/**
 * The replicas a StatefulSet wants now (`spec.replicas`). A scale-down lowers it before the pods
 * beyond it are deleted, so a pod asking as it shuts down learns whether it is one of them. Needs
 * `get` on the StatefulSet (deploy/k8s/rbac.yaml).
 */
export async function statefulSetReplicas(api: KubernetesApi, name: string): Promise<number> {
  const url = new URL(`/apis/apps/v1/namespaces/${api.namespace}/statefulsets/${name}`, api.baseUrl);
  const body = await new Promise<string>((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        headers: { Authorization: `Bearer ${api.token}`, Accept: 'application/json' },
        ca: api.ca,
        timeout: TIMEOUT_MS,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(text)
            : reject(new Error(`GET ${url.pathname}: HTTP ${res.statusCode} ${text.slice(0, 200)}`)),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${url.pathname}: no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
  const replicas = (JSON.parse(body) as { spec?: { replicas?: unknown } }).spec?.replicas;
  if (typeof replicas !== 'number') throw new Error(`statefulset ${name} has no spec.replicas`);
  return replicas;
}
