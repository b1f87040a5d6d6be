import type { KafkaBatchModuleOptions } from '../interfaces/kafka-batch-module-options.interface';
import { KafkaBatchConfigError } from './listener-options.resolver';
import { checkOptions, OptionRules } from './option.rules';
import { ownedRdkafkaProblems } from './owned-rdkafka.properties';

const MODULE_RULES: OptionRules<KafkaBatchModuleOptions> = {
  // Every client gets these, the listeners' consumers included.
  relations: [(o) => ownedRdkafkaProblems(o.rdkafka, undefined)],
};

/** Rejects module options no listener could run with (the listeners' own are checked one by one). */
export function validateModuleOptions(options: KafkaBatchModuleOptions): void {
  const problems = checkOptions(options, MODULE_RULES);
  if (problems.length > 0) throw new KafkaBatchConfigError(`KafkaBatchModule: ${problems.join('; ')}`);
}
