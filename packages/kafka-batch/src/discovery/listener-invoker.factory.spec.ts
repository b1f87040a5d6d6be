import {
  ArgumentsHost,
  CanActivate,
  Catch,
  ExceptionFilter,
  ForbiddenException,
  INestApplicationContext,
  Injectable,
  LoggerService,
  Module,
  PipeTransform,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { APP_FILTER, ExternalContextCreator, NestFactory } from '@nestjs/core';
import type { Acknowledgment, KafkaBatch } from '../interfaces/kafka-record.interface';
import { KAFKA_BATCH_CONTEXT } from '../kafka-batch.constants';
import { Ack, Values } from './kafka-batch-params';
import { createListenerInvoker } from './listener-invoker.factory';

const filtered: { error: unknown; type: string; args: unknown[] }[] = [];
const pipeRuns: number[][] = [];

/** A catch-all filter that reports and returns normally, as an error-reporting filter does. */
@Catch()
class ReportingFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): string {
    filtered.push({ error, type: host.getType(), args: host.getArgs() });
    return 'reported';
  }
}

class MappedError extends Error {}

@Catch(RangeError)
class MappingFilter implements ExceptionFilter {
  catch(error: RangeError): never {
    throw new MappedError(`mapped: ${error.message}`);
  }
}

class DenyAll implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

class RecordingPipe implements PipeTransform {
  transform(values: number[]): number[] {
    pipeRuns.push(values);
    return values;
  }
}

@Injectable()
class Listeners {
  succeed(batch: KafkaBatch<number>): number {
    return batch.size;
  }

  fail(batch: KafkaBatch<number>): void {
    throw new Error(`handler failed on ${batch.size} records`);
  }

  @UseGuards(DenyAll)
  denied(): void {}

  @UseFilters(MappingFilter)
  failWithRange(@Values(new RecordingPipe()) values: number[], @Ack() _ack: Acknowledgment): void {
    throw new RangeError(`bad ${values.join(',')}`);
  }
}

class SilentLogger implements LoggerService {
  log(): void {}
  error(): void {}
  warn(): void {}
}

const batch = { size: 2, values: [1, 2] } as unknown as KafkaBatch<number>;
const ack = {} as Acknowledgment;

describe('createListenerInvoker', () => {
  let app: INestApplicationContext;
  const invoker = (methodName: keyof Listeners) =>
    createListenerInvoker(app.get(ExternalContextCreator), app.get(Listeners), methodName);

  beforeAll(async () => {
    @Module({ providers: [Listeners, { provide: APP_FILTER, useClass: ReportingFilter }] })
    class TestModule {}
    app = await NestFactory.createApplicationContext(TestModule, { logger: new SilentLogger() });
  });
  afterAll(() => app.close());
  beforeEach(() => {
    filtered.length = 0;
    pipeRuns.length = 0;
  });

  it("resolves with the handler's result, and no filter runs", async () => {
    await expect(invoker('succeed')(batch, ack)).resolves.toBe(2);
    expect(filtered).toEqual([]);
  });

  it("fails with the handler's error although a filter caught it and returned, and the filter saw it", async () => {
    await expect(invoker('fail')(batch, ack)).rejects.toThrow('handler failed on 2 records');
    expect(filtered).toEqual([
      { error: new Error('handler failed on 2 records'), type: KAFKA_BATCH_CONTEXT, args: [batch, ack] },
    ]);
  });

  it('fails when a guard denies, although a filter caught the ForbiddenException', async () => {
    await expect(invoker('denied')(batch, ack)).rejects.toThrow(ForbiddenException);
    expect(filtered.map(({ error }) => (error as Error).name)).toEqual(['ForbiddenException']);
  });

  it("applies the method's own filters, a filter that rethrows deciding the error, and runs its pipes once", async () => {
    await expect(invoker('failWithRange')(batch, ack)).rejects.toThrow(new MappedError('mapped: bad 1,2'));
    expect(filtered).toEqual([]);
    expect(pipeRuns).toEqual([[1, 2]]);
  });
});
