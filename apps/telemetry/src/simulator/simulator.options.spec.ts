import { parseSimulatorOptions, UsageError } from './simulator.options';

describe('parseSimulatorOptions', () => {
  it('defaults to the seed case: 500,000 devices, one reading a minute each, for 60 s', () => {
    expect(parseSimulatorOptions([], {})).toMatchObject({
      devices: 500_000,
      rate: 500_000 / 60,
      mode: 'steady',
      durationSeconds: 60,
      count: undefined,
      invalidRatio: 0.01,
      topic: 'telemetry.readings',
      partitions: 12,
      bootstrap: 'localhost:9092',
      traceRatio: 0,
    });
  });

  it('fills a backlog of one round of readings by default, with no time limit', () => {
    expect(parseSimulatorOptions(['--mode', 'backlog', '--devices', '1000'], {})).toMatchObject({
      count: 1_000,
      durationSeconds: undefined,
    });
  });

  it.each([
    [['--mode', 'fast'], '--mode must be one of steady, burst, backlog (got "fast")'],
    [['--invalid-ratio', '2'], '--invalid-ratio must be a number in 0..1 (got "2")'],
    [['--devices', '1.5'], '--devices must be an integer in 1..10000000 (got "1.5")'],
    [['--trace-ratio', '1.5'], '--trace-ratio must be a number in 0..1 (got "1.5")'],
    [['--nope'], "Unknown option '--nope'"],
  ])('rejects %j', (argv, message) => {
    expect(() => parseSimulatorOptions(argv, {})).toThrow(new UsageError(message));
  });
});
