import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { telemetryConfigFromEnv } from './config/telemetry.config';
import { startTracing } from './tracing/tracing.setup';

async function bootstrap(): Promise<void> {
  // Validated before the application module is even loaded (the listener reads its topic when
  // its class is declared), so a bad variable is the first and only error line.
  const { httpPort } = telemetryConfigFromEnv();
  await startTracing('telemetry');
  const { AppModule } = await import('./app.module');
  const app = await NestFactory.create(AppModule, { abortOnError: false });
  app.enableShutdownHooks();
  await app.listen(httpPort, '0.0.0.0');
  const address = app.getHttpServer().address() as { port: number };
  Logger.log(`telemetry listening on :${address.port}`, 'Telemetry');
}

bootstrap().catch((err: Error) => {
  Logger.error(err.message, err.name === 'ConfigError' ? undefined : err.stack, 'Telemetry');
  process.exit(1);
});
