import { Module } from '@nestjs/common';
import { KafkaBatchConsoleModule } from '@org/kafka-batch/console';
import { TelemetryConfigModule } from '../config/telemetry-config.module';
import { ConsoleAccessGuard } from './console-access.guard';

/** The library's operator console at /console, behind the app's own access rule. */
@Module({
  imports: [
    TelemetryConfigModule,
    KafkaBatchConsoleModule.forRoot({ path: 'console', guard: ConsoleAccessGuard }),
  ],
})
export class TelemetryConsoleModule {}
