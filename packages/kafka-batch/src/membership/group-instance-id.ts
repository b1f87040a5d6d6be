/**
 * The static membership id of a listener's consumer: explicit, derived from the pod's stable name
 * (`POD_NAME`, else `HOSTNAME` when asked for with 'auto'), or none (dynamic membership).
 *
 * Without an explicit setting, static membership is on only when POD_NAME is set: a StatefulSet
 * exposes it through the downward API and keeps it across restarts. A bare host name is not
 * assumed stable or unique (Deployment pods get new names; several processes share one host).
 */
export function resolveGroupInstanceId(
  setting: string | false | undefined,
  listenerId: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (setting === false) return undefined;
  if (setting !== undefined && setting !== 'auto') return setting;
  const stableName = env.POD_NAME || (setting === 'auto' ? env.HOSTNAME : undefined);
  if (!stableName) return undefined;
  return `${stableName}-${listenerId}`.replace(/[^a-zA-Z0-9._-]+/g, '-');
}
