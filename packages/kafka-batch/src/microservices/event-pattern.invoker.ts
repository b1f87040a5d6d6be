import type { LoggerService } from '@nestjs/common';
import {
  BaseRpcContext,
  KafkaContext,
  KafkaHeaders,
  MessageHandler,
  ReadPacket,
} from '@nestjs/microservices';
import { isObservable, lastValueFrom } from 'rxjs';
import type { ListenerInvoker } from '../batch/batch.runner';
import type { KafkaRecord } from '../interfaces/kafka-record.interface';
import type { KafkaContextFactory } from './kafka-context.factory';

/** What the transport hands over of Nest's Server: its handlers, deserializer and processing hook. */
export interface EventPatternServer {
  getHandlerByPattern(pattern: string): MessageHandler | null;
  deserialize(message: unknown, channel: string): ReadPacket | Promise<ReadPacket>;
  /** Server.onProcessingStartHook with the transport's id: runs `done` (tracing hooks wrap it). */
  process(context: BaseRpcContext, done: () => Promise<unknown>): unknown;
  /** Server.onProcessingEndHook. */
  processed(context: BaseRpcContext): void;
}

/**
 * The listener's handler for a transport: each record goes to the `@EventPattern` (or event-style
 * `@MessagePattern`) handler of its pattern, as ServerKafka.handleEvent calls it, and the returned promise settles when the handler
 * (and the Observable it may return) did. A rejection is the record's failure: the listener
 * retries it, and dead-letters it when retries are spent, instead of committing past it.
 */
export function createEventPatternInvoker(
  server: EventPatternServer,
  contexts: KafkaContextFactory,
  logger: LoggerService,
): ListenerInvoker {
  return async (payload) => {
    const record = payload as KafkaRecord;
    const context = contexts.create(record);
    const packet = await server.deserialize(context.getMessage(), record.topic);
    const handler = server.getHandlerByPattern(packet.pattern as string);
    if (!handler) {
      // As ServerKafka does: the record is logged and committed.
      logger.error(
        `There is no matching event handler defined in the remote service. Event pattern: ${String(packet.pattern)}`,
      );
      return;
    }
    const replyTopic = handler.isEventHandler ? undefined : requestedReplyTopic(context);
    if (replyTopic !== undefined)
      throw new Error(
        `request-response is not served by KafkaBatchTransport: the record asks for a reply on "${replyTopic}"`,
      );
    const handled = async () => {
      const resultOrStream: unknown = await handler(packet.data, context);
      if (!isObservable(resultOrStream)) return;
      await lastValueFrom(resultOrStream, { defaultValue: undefined });
      server.processed(context);
    };
    try {
      // The handler's own promise decides, not the hook's: a hook may call `done` and return nothing.
      let finished: Promise<void> | undefined;
      await server.process(context, () => (finished = handled()));
      if (!finished)
        throw new Error(
          'the processing start hook returned without calling done: the record was not handled',
        );
      await finished;
    } catch (thrown) {
      throw asHandlerError(thrown);
    }
  };
}

/**
 * A `@MessagePattern` handler serves records that ask no reply, as under ServerKafka; a record
 * that asks one (correlation id and reply topic headers) cannot get it here.
 */
function requestedReplyTopic(context: KafkaContext): string | undefined {
  const headers = context.getMessage().headers as Record<string, unknown>;
  const replyTopic = headers[KafkaHeaders.REPLY_TOPIC];
  return headers[KafkaHeaders.CORRELATION_ID] && replyTopic ? String(replyTopic) : undefined;
}

/**
 * Nest's RPC exception filter rejects with `{ status: 'error', message }` rather than an Error:
 * made one, so logs and dead-letter headers show the message (KafkaBatchExceptionFilter keeps
 * the original error instead).
 */
function asHandlerError(thrown: unknown): unknown {
  if (thrown instanceof Error || typeof thrown !== 'object' || thrown === null) return thrown;
  const { message } = thrown as { message?: unknown };
  return new Error(typeof message === 'string' ? message : JSON.stringify(thrown));
}
