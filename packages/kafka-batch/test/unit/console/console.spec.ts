import { BadRequestException, ExecutionContext, ForbiddenException, NotFoundException } from '@nestjs/common';
import { ConsoleController } from '../../../src/console/console.controller';
import type { ConsoleDeadLetters } from '../../../src/console/console.dead-letters';
import { ConsoleGuard } from '../../../src/console/console.guard';
import { resolveConsoleOptions } from '../../../src/console/console.options';
import { ConsoleRecorder } from '../../../src/console/console.recorder';
import type { ConsoleRedrives } from '../../../src/console/console.redrives';
import { KafkaListenerRegistry } from '../../../src/container/listener-container.registry';
import { startListener, TOPIC, tp, values } from '../fakes/listener.harness';

const notJson = Buffer.from('{not json');
const options = resolveConsoleOptions({ sampleIntervalMs: 1_000, historyMinutes: 1 });
const httpContext = (method: string) =>
  ({ switchToHttp: () => ({ getRequest: () => ({ method }) }) }) as unknown as ExecutionContext;

async function consoleOf(handler?: Parameters<typeof startListener>[1]) {
  const h = await startListener({ maxPollRecords: 10 }, handler);
  const registry = new KafkaListenerRegistry();
  registry.register(h.container);
  const recorder = new ConsoleRecorder(registry, options);
  recorder.onApplicationBootstrap();
  const controller = new ConsoleController(
    registry,
    recorder,
    {} as ConsoleDeadLetters,
    { list: () => [] } as unknown as ConsoleRedrives,
    options,
  );
  return { h, recorder, controller };
}

describe('the operator console', () => {
  it('describes each listener: state, partitions, counts from its events, its last errors and samples', async () => {
    const { h, recorder, controller } = await consoleOf((batch) => {
      if (batch.records.some((r) => r.value.i === 3)) throw new Error('constraint violated');
    });
    h.consumer.produce(TOPIC, 0, [...values(3), notJson]);
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 4, 'the records');
    recorder.sample(1_000);
    h.consumer.produce(TOPIC, 0, values(2, 3));
    await h.clock.until(() => h.deadLetters.offsets().length === 2, 'the failing record dead-lettered');
    recorder.sample(3_000);

    const [listener] = controller.state().listeners;
    expect(listener).toMatchObject({
      id: 'L',
      state: 'running',
      paused: false,
      assignment: [{ topic: TOPIC, partition: 0 }],
      deadLetterTopics: [`${TOPIC}.DLT`],
    });
    expect(listener.counts).toMatchObject({ deadLettered: 2 });
    expect(listener.counts.failedInvocations).toBeGreaterThan(0);
    expect(listener.lastErrors[0].message).toBe('handler failed on 1 record(s): constraint violated');
    expect(listener.history.map((s) => s.at)).toEqual([1_000, 3_000]);
    expect(listener.history[1].throughput).toBe(Math.round((listener.counts.records - 3) / 2));
    recorder.onModuleDestroy();
    await h.stop();
  });

  it('counts the batches running', async () => {
    let finish: () => void = () => undefined;
    const { h, recorder, controller } = await consoleOf(
      () => new Promise<void>((resolve) => (finish = resolve)),
    );
    h.consumer.produce(TOPIC, 0, values(2));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.invocations.length === 1, 'the batch');
    expect(controller.state().listeners[0].batchesInFlight).toBe(1);
    finish();
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 2, 'its commit');
    expect(controller.state().listeners[0].batchesInFlight).toBe(0);
    recorder.onModuleDestroy();
    await h.stop();
  });

  it('pauses, resumes and seeks a listener by id; an unknown id or a bad target is refused', async () => {
    const { h, recorder, controller } = await consoleOf();
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.container.holds(TOPIC, 0), 'the assignment');
    controller.pause('L');
    expect(controller.state().listeners[0].paused).toBe(true);
    controller.resume('L');
    expect(h.container.paused).toBe(false);
    expect(() => controller.pause('nobody')).toThrow(NotFoundException);
    expect(() => controller.seek('L', { topic: TOPIC, partition: 0, to: 'middle' })).toThrow(
      BadRequestException,
    );
    expect(() => controller.seek('L', { topic: TOPIC, partition: 7, to: 0 })).toThrow(BadRequestException);
    controller.seek('L', { topic: TOPIC, partition: 0, to: 'beginning' });
    recorder.onModuleDestroy();
    await h.stop();
  });

  it('keeps a read-only console to reads, and asks the application guard first', async () => {
    const readOnly = new ConsoleGuard(resolveConsoleOptions({ readOnly: true }));
    expect(await readOnly.canActivate(httpContext('GET'))).toBe(true);
    await expect(readOnly.canActivate(httpContext('POST'))).rejects.toThrow(ForbiddenException);
    const refusing = new ConsoleGuard(resolveConsoleOptions({}), { canActivate: () => false });
    expect(await refusing.canActivate(httpContext('GET'))).toBe(false);
    const writable = new ConsoleGuard(resolveConsoleOptions({}), { canActivate: async () => true });
    expect(await writable.canActivate(httpContext('POST'))).toBe(true);
  });

  it('names a bad option', () => {
    expect(() => resolveConsoleOptions({ path: 'a b' })).toThrow('option "path" must be a URL path');
    expect(() => resolveConsoleOptions({ sampleIntervalMs: 0 })).toThrow(
      'option "sampleIntervalMs" must be an integer in 1..3600000 (got 0)',
    );
    expect(resolveConsoleOptions({ path: '/ops/kafka/' }).path).toBe('ops/kafka');
  });
});
