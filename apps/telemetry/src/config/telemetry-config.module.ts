import { Global, Module } from '@nestjs/common';
import { TELEMETRY_CONFIG, telemetryConfigFromEnv } from './telemetry.config';

@Global()
@Module({
  providers: [{ provide: TELEMETRY_CONFIG, useFactory: () => telemetryConfigFromEnv() }],
  exports: [TELEMETRY_CONFIG],
})
export class TelemetryConfigModule {}
