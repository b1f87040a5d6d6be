import { AsyncLocalStorage } from 'node:async_hooks';
import type { ExternalContextCreator } from '@nestjs/core';
import type { ListenerInvoker } from '../batch/batch.runner';
import { BATCH_LISTENER_ARGS_METADATA, KAFKA_BATCH_CONTEXT } from '../kafka-batch.constants';
import { KafkaBatchParamsFactory } from './kafka-batch-params';

type ListenerMethod = (...args: unknown[]) => unknown;

const paramsFactory = new KafkaBatchParamsFactory();

/** The error whose exception filters are running, for the stand-in method to raise. */
const failureInFilters = new AsyncLocalStorage<unknown>();

/**
 * A name that is no method of the listener: Nest reads parameter metadata by method name (and
 * Nest 11 caches it by that name alone), so the filters-only context finds no parameters and
 * runs no pipes.
 */
const FILTERS_ONLY = 'kafka-batch:exception-filters';

/**
 * Wraps a @BatchListener method in Nest's guards, interceptors, pipes and exception filters.
 *
 * Nest answers a failed call with what a matching exception filter returns, so a catch-all
 * filter that returns normally would turn a failed batch into a handled one, and the container
 * would commit it. Here an error raised anywhere in the handler's context fails the invocation
 * (retried, bisected, dead-lettered as usual), after the filters saw it: a filter that rethrows
 * fails it with the filter's error, one that returns fails it with the original error.
 */
export function createListenerInvoker(
  contextCreator: ExternalContextCreator,
  instance: object,
  methodName: string,
): ListenerInvoker {
  const method = (instance as Record<string, ListenerMethod>)[methodName];
  const handle = contextCreator.create(
    instance,
    method,
    methodName,
    BATCH_LISTENER_ARGS_METADATA,
    paramsFactory,
    undefined,
    undefined,
    { guards: true, interceptors: true, filters: false },
    KAFKA_BATCH_CONTEXT,
  );
  const reportToFilters = contextCreator.create(
    instance,
    raisingStandInFor(method),
    FILTERS_ONLY,
    undefined,
    undefined,
    undefined,
    undefined,
    { guards: false, interceptors: false, filters: true },
    KAFKA_BATCH_CONTEXT,
  );
  return async (payload, ack, transaction) => {
    try {
      return await handle(payload, ack, transaction);
    } catch (error) {
      await failureInFilters.run(error, () => reportToFilters(payload, ack, transaction));
      throw error;
    }
  };
}

/**
 * A function that raises the error being reported and carries the method's metadata, so that
 * Nest finds the method's own @UseFilters() on it (with the class's and the global ones).
 */
function raisingStandInFor(method: ListenerMethod): ListenerMethod {
  const standIn = () => {
    throw failureInFilters.getStore();
  };
  for (const key of Reflect.getOwnMetadataKeys(method)) {
    Reflect.defineMetadata(key, Reflect.getOwnMetadata(key, method), standIn);
  }
  return standIn;
}
