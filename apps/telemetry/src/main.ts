import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { telemetryConfigFromEnv } from './telemetry.config';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks();
  const { httpPort } = telemetryConfigFromEnv();
  await app.listen(httpPort, '0.0.0.0');
  Logger.log(`telemetry listening on :${httpPort}`, 'Telemetry');
}

bootstrap().catch((err: Error) => {
  Logger.error(err.message, err.stack, 'Telemetry');
  process.exit(1);
});
