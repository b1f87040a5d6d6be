import { Controller, Get, Header, OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';

let defaultMetricsCollected = false;

/** Prometheus scrape endpoint: prom-client's default registry, shared with the library. */
@Controller('metrics')
export class MetricsController implements OnModuleInit {
  onModuleInit(): void {
    // Process metrics register once per process; several apps in one test process share them.
    if (defaultMetricsCollected) return;
    collectDefaultMetrics();
    defaultMetricsCollected = true;
  }

  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
