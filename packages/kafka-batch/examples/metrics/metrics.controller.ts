import { Controller, Get, Header } from '@nestjs/common';
import { register } from 'prom-client';

/** The scrape endpoint: KafkaBatchMetricsModule registers on prom-client's default registry. */
@Controller('metrics')
export class MetricsController {
  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return register.metrics();
  }
}
