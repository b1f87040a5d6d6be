import type { LagMonitorOptions } from '../interfaces/kafka-batch-module-options.interface';
import { KafkaBatchConfigError } from './listener-options.resolver';
import { checkOptions, integerIn, OptionRules, trueOrFalse } from './option.rules';

export type ResolvedLagMonitorOptions = Required<LagMonitorOptions>;

const LAG_RULES: OptionRules<ResolvedLagMonitorOptions> = {
  values: {
    enabled: trueOrFalse,
    intervalMs: integerIn(100, 3_600_000),
    windowSize: integerIn(2, 1_000),
  },
};

/** Applies the lag monitor's defaults and rejects values it cannot run with. */
export function resolveLagOptions(options: LagMonitorOptions = {}): ResolvedLagMonitorOptions {
  const resolved = {
    enabled: options.enabled ?? true,
    intervalMs: options.intervalMs ?? 5_000,
    windowSize: options.windowSize ?? 10,
  };
  const problems = checkOptions(resolved, LAG_RULES, 'lag.');
  if (problems.length > 0) throw new KafkaBatchConfigError(`KafkaBatchModule: ${problems.join('; ')}`);
  return resolved;
}
