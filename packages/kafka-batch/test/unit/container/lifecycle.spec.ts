import { startListener, TOPIC, tp, values } from '../fakes/listener.harness';

describe('lifecycle (fake consumer)', () => {
  it('a second stop() while the first is under way waits for it, and shuts down once', async () => {
    let finish!: () => void;
    const h = await startListener({}, () => new Promise<void>((resolve) => (finish = resolve)));
    h.consumer.produce(TOPIC, 0, values(1));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.invocations.length === 1, 'a running batch');
    const stopped: string[] = [];
    void h.container.stop().then(() => stopped.push('first'));
    await h.clock.advance(100);
    void h.container.stop().then(() => stopped.push('second'));
    await h.clock.advance(1_000);
    // Both wait for the running batch.
    expect(stopped).toEqual([]);
    expect(h.container.state).toBe('stopping');
    finish();
    await h.clock.until(() => stopped.length === 2, 'both stops');
    expect(h.container.state).toBe('stopped');
    expect(h.consumer.calls.filter((c) => c === 'disconnect')).toHaveLength(1);
    expect(h.deadLetters.closed).toBe(1);
    await h.container.stop();
    expect(h.consumer.calls.filter((c) => c === 'disconnect')).toHaveLength(1);
  });

  it('stop() during start() waits for the start, then stops', async () => {
    const h = await startListener({});
    await h.stop();
    let connected!: () => void;
    h.consumer.connectGate = new Promise<void>((resolve) => (connected = resolve));
    const starting = h.container.start();
    expect(h.container.state).toBe('starting');
    const stopping = h.container.stop();
    let stopped = false;
    void stopping.then(() => (stopped = true));
    await h.clock.advance(1_000);
    expect(stopped).toBe(false);
    connected();
    await starting;
    await h.clock.until(() => stopped, 'the stop');
    expect(h.container.state).toBe('stopped');
    expect(h.consumer.calls.filter((c) => c === 'disconnect')).toHaveLength(2);
  });

  it('a fatal error stops the listener once, with the reason; the application shutdown after it does nothing more', async () => {
    const h = await startListener({});
    const fatal: string[] = [];
    h.container.on('fatal', ({ reason }) => fatal.push(reason));
    h.consumer.assignPartitions(tp(0));
    await h.clock.advance(500);
    // librdkafka may say it is fatal before it says why.
    h.consumer.fatal('Local: Fatal error');
    h.consumer.fatal('Broker: Static consumer fenced by other consumer with same group.instance.id');
    await h.clock.until(() => h.consumer.calls.includes('disconnect'), 'the disconnect');
    expect(h.container.state).toBe('failed');
    expect(h.container.error?.message).toBe(
      'Broker: Static consumer fenced by other consumer with same group.instance.id',
    );
    const polls = h.consumer.consumeCalls;
    await h.clock.advance(5_000);
    expect(h.consumer.consumeCalls).toBe(polls);
    await h.container.stop();
    expect(h.consumer.calls.filter((c) => c === 'disconnect')).toHaveLength(1);
    expect(h.deadLetters.closed).toBe(1);
    expect(fatal).toEqual(['Local: Fatal error']);
  });

  it('a fatal error while connecting (refused credentials) ends the start: the listener is failed, the start resolves', async () => {
    const h = await startListener({});
    await h.stop();
    let connectTimedOut!: () => void;
    h.consumer.connectGate = new Promise<void>((resolve) => (connectTimedOut = resolve));
    h.consumer.failNextConnect = new Error('Local: Broker transport failure');
    const starting = h.container.start();
    await h.clock.advance(300);
    h.consumer.fatal(
      "authentication failed: SASL SCRAM-SHA-256 as user 'app' (SASL authentication error: …)",
    );
    await starting;
    expect(h.container.state).toBe('failed');
    expect(h.container.error?.message).toMatch(/^authentication failed: SASL SCRAM-SHA-256 as user 'app'/);
    // The client's connect call is still under way: the disconnect waits for it.
    await h.clock.advance(1_000);
    expect(h.consumer.calls.filter((c) => c === 'disconnect')).toHaveLength(1);
    connectTimedOut();
    await h.clock.until(
      () => h.consumer.calls.filter((c) => c === 'disconnect').length === 2,
      'the disconnect',
    );
    expect(h.container.state).toBe('failed');
  });

  it('pause() stops fetching and batches on every partition, also those assigned later, until resume()', async () => {
    const h = await startListener({ maxPollRecords: 10 });
    h.container.pause();
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.produce(TOPIC, 1, values(3));
    h.consumer.assignPartitions(tp(0));
    await h.clock.advance(2_000);
    h.consumer.assignPartitions(tp(1));
    await h.clock.advance(2_000);
    expect(h.container.paused).toBe(true);
    expect(h.invocations).toEqual([]);
    expect(h.container.pausedPartitions().map((p) => [p.partition, p.reasons])).toEqual([
      [0, ['requested']],
      [1, ['requested']],
    ]);
    h.container.resume();
    await h.clock.until(
      () => h.consumer.committedAt(TOPIC, 0) === 3 && h.consumer.committedAt(TOPIC, 1) === 3,
      'both partitions after the resume',
    );
    expect(h.container.paused).toBe(false);
    await h.stop();
  });

  it('a listener started again after a stop fetches its new assignment (the stop paused everything)', async () => {
    const h = await startListener({ maxPollRecords: 10 });
    h.consumer.produce(TOPIC, 0, values(3));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 3, 'the first run');
    await h.stop();
    await h.container.start();
    h.consumer.produce(TOPIC, 0, values(2, 3));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => h.consumer.committedAt(TOPIC, 0) === 5, 'the second run');
    expect(h.container.pausedPartitions()).toEqual([]);
    expect(h.handled()).toEqual(['0@0', '0@1', '0@2', '0@3', '0@4']);
    await h.stop();
  });

  it('a stop while a large batch is being decoded gives the batch up between two slices: nothing of it is handled or committed', async () => {
    let decoded = 0;
    const h = await startListener({
      maxPollRecords: 1_000,
      // Each value takes 4 ms to decode: the decoder hands the event loop back every 10 ms.
      deserializer: (value) => {
        h.clock.spend(4);
        decoded++;
        return JSON.parse(String(value));
      },
    });
    h.consumer.produce(TOPIC, 0, values(1_000));
    h.consumer.assignPartitions(tp(0));
    await h.clock.until(() => decoded > 0, 'the batch being decoded');
    await h.stop();
    expect(decoded).toBeGreaterThan(0);
    expect(decoded).toBeLessThan(1_000);
    expect(h.invocations).toEqual([]);
    expect(h.consumer.committedAt(TOPIC, 0)).toBeUndefined();
    expect(h.deadLetters.published).toEqual([]);
  });
});
