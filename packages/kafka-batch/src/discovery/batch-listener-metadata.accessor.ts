import { Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { BatchListenerOptions } from '../interfaces/batch-listener-options.interface';
import { BATCH_LISTENER_METADATA } from '../kafka-batch.constants';

@Injectable()
export class BatchListenerMetadataAccessor {
  constructor(private readonly reflector: Reflector) {}

  getListenerOptions(target: (...args: unknown[]) => unknown): BatchListenerOptions | undefined {
    return this.reflector.get<BatchListenerOptions | undefined>(BATCH_LISTENER_METADATA, target);
  }
}
