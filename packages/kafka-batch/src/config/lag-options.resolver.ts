import type { LagMonitorOptions } from '../interfaces/kafka-batch-module-options.interface';
import { KafkaBatchConfigError } from './listener-options.resolver';

export type ResolvedLagMonitorOptions = Required<LagMonitorOptions>;

const LIMITS: Record<'intervalMs' | 'windowSize', [min: number, max: number]> = {
  intervalMs: [100, 3_600_000],
  windowSize: [2, 1_000],
};

/** Applies the lag monitor's defaults and rejects values it cannot run with. */
export function resolveLagOptions(options: LagMonitorOptions = {}): ResolvedLagMonitorOptions {
  const resolved = {
    enabled: options.enabled ?? true,
    intervalMs: options.intervalMs ?? 5_000,
    windowSize: options.windowSize ?? 10,
  };
  const problems = (Object.keys(LIMITS) as (keyof typeof LIMITS)[])
    .filter((option) => {
      const [min, max] = LIMITS[option];
      const value = resolved[option];
      return !Number.isInteger(value) || value < min || value > max;
    })
    .map(
      (option) =>
        `option "lag.${option}" must be an integer in ${LIMITS[option].join('..')} (got ${JSON.stringify(resolved[option])})`,
    );
  if (typeof resolved.enabled !== 'boolean')
    problems.push(`option "lag.enabled" must be true or false (got ${JSON.stringify(resolved.enabled)})`);
  if (problems.length > 0) throw new KafkaBatchConfigError(`KafkaBatchModule: ${problems.join('; ')}`);
  return resolved;
}
