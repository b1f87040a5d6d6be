import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { KafkaBatchModule } from '@org/kafka-batch';
import { KafkaBatchHealthModule } from '@org/kafka-batch/health';
import { KafkaBatchExceptionFilter, KafkaBatchTransport } from '@org/kafka-batch/microservices';
import { kafkaOptions } from './kafka.options';
import { OrdersController } from './orders.controller';

// KafkaBatchModule, on the transport's cluster with its credentials, owns the transport's listener
// next to any @BatchListener: one registry, the same probes, lag and metrics for both.
@Module({
  imports: [
    KafkaBatchModule.forRoot(KafkaBatchTransport.clientOptions(kafkaOptions)),
    KafkaBatchHealthModule,
  ],
  controllers: [OrdersController],
})
class AppModule {}

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  // The handler's error as thrown, so outages are told from bad records and dead letters say why;
  // `inheritAppConfig` hands the HTTP application's global filters to the microservice.
  app.useGlobalFilters(new KafkaBatchExceptionFilter());
  app.connectMicroservice<MicroserviceOptions>(
    {
      strategy: new KafkaBatchTransport(kafkaOptions, {
        id: 'orders',
        app,
        maxPollRecords: 500,
        retry: { attempts: 5 },
        deadLetter: { topic: (topic) => `${topic}.dead` },
      }),
    },
    { inheritAppConfig: true },
  );
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  await app.listen(3000);
}
void bootstrap();
