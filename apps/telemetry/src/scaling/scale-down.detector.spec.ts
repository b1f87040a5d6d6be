import { createServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScaleDownDetector } from './scale-down.detector';
import { statefulSetReplicas } from './statefulset-replicas.reader';

describe('ScaleDownDetector', () => {
  it('a pod at or beyond the replicas its StatefulSet wants is leaving for good; one below restarts', async () => {
    const asked: string[] = [];
    const replicas = (statefulSet: string) => {
      asked.push(statefulSet);
      return Promise.resolve(2);
    };
    expect(await new ScaleDownDetector('telemetry-2', replicas).leavingForGood()).toBe(true);
    expect(await new ScaleDownDetector('telemetry-1', replicas).leavingForGood()).toBe(false);
    expect(await new ScaleDownDetector('telemetry-eu-10', replicas).leavingForGood()).toBe(true);
    expect(asked).toEqual(['telemetry', 'telemetry', 'telemetry-eu']);
  });

  it("refuses a pod name that is not a StatefulSet pod's", () => {
    expect(() => new ScaleDownDetector('telemetry-7d9f8-x2x4k', () => Promise.resolve(1))).toThrow(
      `POD_NAME "telemetry-7d9f8-x2x4k" is not a StatefulSet pod's name (<name>-<ordinal>)`,
    );
  });
});

describe('statefulSetReplicas', () => {
  async function apiServer(answer: (req: IncomingMessage) => { status: number; body: unknown }) {
    const requests: { path?: string; authorization?: string }[] = [];
    const server = createServer((req, res) => {
      requests.push({ path: req.url, authorization: req.headers.authorization });
      const { status, body } = answer(req);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const api = {
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      token: 'sa-token',
      ca: undefined,
      namespace: 'iot',
    };
    return { api, requests, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  it("reads spec.replicas of the pod's StatefulSet with the service account's token", async () => {
    const server = await apiServer(() => ({ status: 200, body: { spec: { replicas: 2 } } }));
    try {
      expect(await statefulSetReplicas(server.api, 'telemetry')).toBe(2);
      expect(server.requests).toEqual([
        { path: '/apis/apps/v1/namespaces/iot/statefulsets/telemetry', authorization: 'Bearer sa-token' },
      ]);
    } finally {
      await server.close();
    }
  });

  it('says what the API server refused', async () => {
    const server = await apiServer(() => ({ status: 403, body: { reason: 'Forbidden' } }));
    try {
      await expect(statefulSetReplicas(server.api, 'telemetry')).rejects.toThrow(
        'GET /apis/apps/v1/namespaces/iot/statefulsets/telemetry: HTTP 403 {"reason":"Forbidden"}',
      );
    } finally {
      await server.close();
    }
  });
});
