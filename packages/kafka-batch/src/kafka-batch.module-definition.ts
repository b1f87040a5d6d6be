import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { KafkaBatchModuleOptions } from './interfaces/kafka-batch-module-options.interface';

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: KAFKA_BATCH_MODULE_OPTIONS } =
  new ConfigurableModuleBuilder<KafkaBatchModuleOptions>()
    .setClassMethodName('forRoot')
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build();
