import { Module } from '@nestjs/common';
import { ConnectivityCheck } from './connectivity.check';
import { TELEMETRY_CONFIG, telemetryConfigFromEnv } from './telemetry.config';

@Module({
  providers: [{ provide: TELEMETRY_CONFIG, useFactory: () => telemetryConfigFromEnv() }, ConnectivityCheck],
})
export class AppModule {}
