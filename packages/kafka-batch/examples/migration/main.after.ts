import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { KafkaBatchTransport } from '@org/kafka-batch/microservices';
import { AppModule } from './app.module';
import { kafkaOptions } from './kafka.options';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule);
  app.connectMicroservice<MicroserviceOptions>({
    strategy: new KafkaBatchTransport(kafkaOptions),
  });
  app.enableShutdownHooks();
  await app.startAllMicroservices();
  await app.listen(3000);
}
void bootstrap();
