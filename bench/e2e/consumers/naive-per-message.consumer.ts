// The naive baseline: the per-message controller on @nestjs/microservices' Kafka transport (KafkaJS).
import 'reflect-metadata';
import { consumerSettingsFromEnv } from './consumer.settings';
import { startKafkaMicroservice } from './kafka-microservice.bootstrap';
import { perMessageReadingsController } from './per-message-readings.controller';
import { ProgressReporter } from './progress.reporter';

const settings = consumerSettingsFromEnv();
const progress = new ProgressReporter(settings.tickMs);
startKafkaMicroservice(perMessageReadingsController(settings.topic, progress), settings, progress, 'kafkajs');
