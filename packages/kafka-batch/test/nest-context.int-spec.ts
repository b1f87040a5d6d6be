import {
  CallHandler,
  CanActivate,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  PipeTransform,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  Ack,
  Acknowledgment,
  Batch,
  BatchListener,
  DLT_HEADERS,
  KAFKA_BATCH_CONTEXT,
  KafkaBatch,
  KafkaBatchModule,
  Values,
} from '@org/kafka-batch';
import {
  KafkaAdmin,
  kafkaBootstrap,
  produceRecords,
  readTopic,
  TestLogger,
  uniqueName,
  waitForLagZero,
} from '@org/testing';
import { Observable, tap } from 'rxjs';

const calls: string[] = [];

@Injectable()
class RecordingGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const [batch] = context.getArgs<[KafkaBatch<{ blocked?: boolean }>]>();
    calls.push(`guard:${context.getType()}`);
    return !batch.values.some((v) => v.blocked);
  }
}

@Injectable()
class RecordingInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    calls.push(`interceptor:before:${context.getHandler().name}`);
    return next.handle().pipe(tap(() => calls.push('interceptor:after')));
  }
}

class CelsiusToKelvinPipe implements PipeTransform {
  transform(values: { celsius: number }[]): { kelvin: number }[] {
    calls.push('pipe');
    return values.map((v) => ({ kelvin: v.celsius + 273 }));
  }
}

describe('handlers run through Nest context machinery (real broker)', () => {
  const admin = new KafkaAdmin();
  afterAll(() => admin.close());

  it('applies guards, interceptors, pipes and parameter decorators (module from forRootAsync); a denying guard is a failure', async () => {
    const topic = uniqueName('nest_ctx');
    const groupId = uniqueName('g');
    await admin.createTopic(topic, 1);
    const received: { kelvin: number }[] = [];
    let sawAck = false;
    let sawBatch = false;

    @Injectable()
    class Listener {
      @BatchListener({
        topics: [topic],
        groupId,
        ackMode: 'manual',
        maxPollRecords: 2,
        retry: { attempts: 1 },
        fetchMinBytes: 1,
      })
      @UseGuards(RecordingGuard)
      @UseInterceptors(RecordingInterceptor)
      onReadings(
        @Values(new CelsiusToKelvinPipe()) values: { kelvin: number }[],
        @Ack() ack: Acknowledgment,
        @Batch() batch: KafkaBatch,
      ): void {
        sawAck = typeof ack.acknowledge === 'function';
        sawBatch = batch.size === values.length;
        received.push(...values);
        ack.acknowledge();
      }
    }

    @Module({
      imports: [
        KafkaBatchModule.forRootAsync({
          useFactory: async () => ({ brokers: kafkaBootstrap(), clientId: 'async' }),
        }),
      ],
      providers: [Listener],
    })
    class AppModule {}

    const app = await NestFactory.createApplicationContext(AppModule, { logger: new TestLogger() });
    await app.init();
    try {
      await produceRecords(topic, [{ value: { celsius: 20 } }, { value: { celsius: 30 } }]);
      await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });
      expect(received).toEqual([{ kelvin: 293 }, { kelvin: 303 }]);
      expect(sawAck && sawBatch).toBe(true);
      expect(calls).toEqual([
        `guard:${KAFKA_BATCH_CONTEXT}`,
        'interceptor:before:onReadings',
        'pipe',
        'interceptor:after',
      ]);

      await produceRecords(topic, [{ key: 'blocked', value: { celsius: 0, blocked: true } }]);
      await waitForLagZero(admin, groupId, topic, { timeoutMs: 20_000 });
      const [dead] = await readTopic(`${topic}.DLT`, 1, 1);
      expect(dead.key).toBe('blocked');
      expect(dead.headers[DLT_HEADERS.exceptionClass]).toBe('ForbiddenException');
      expect(received).toHaveLength(2);
    } finally {
      await app.close();
    }
  });
});
