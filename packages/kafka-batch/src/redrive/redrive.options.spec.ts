import { parseRedriveOptions, RedriveOptions } from './redrive.options';

const parse = (...args: string[]) => parseRedriveOptions(args, {}) as RedriveOptions;

describe('parseRedriveOptions', () => {
  it('reads the filters, the target and the run settings', () => {
    const options = parse(
      '--from',
      'readings.DLT',
      '--to',
      'readings.again',
      '--exception',
      'ValidationError|TypeError',
      '--message',
      'temperature',
      '--partition',
      '0, 3',
      '--offsets',
      '10-20',
      '--since',
      '2026-12-01T00:00:00Z',
      '--until',
      '1796688000000',
      '--dry-run',
      '--brokers',
      'k1:9092',
      '--transaction-size',
      '200',
      '--rate',
      '500',
      '-X',
      'security.protocol=ssl',
      '--json',
    );
    expect(options).toMatchObject({
      deadLetterTopic: 'readings.DLT',
      to: 'readings.again',
      brokers: 'k1:9092',
      dryRun: true,
      transactionSize: 200,
      rate: 500,
      rdkafka: { 'security.protocol': 'ssl' },
      json: true,
    });
    const { exception, message, partitions, offsets, since, until } = options.selection;
    expect([
      exception!.test('TypeError'),
      exception!.test('MyTypeError'),
      exception!.test('ValidationErrorX'),
    ]).toEqual([true, false, false]);
    expect(message!.test('temperature must not be more than 125')).toBe(true);
    expect([...partitions!]).toEqual([0, 3]);
    expect(offsets).toEqual({ from: 10, to: 20 });
    expect([since, until]).toEqual([Date.UTC(2026, 11, 1), 1796688000000]);
  });

  it('defaults: every letter, the brokers of KAFKA_BOOTSTRAP, a group per distinct redrive', () => {
    const options = parseRedriveOptions(['--from', 'a.DLT'], {
      KAFKA_BOOTSTRAP: 'env:9092',
    }) as RedriveOptions;
    expect(options).toMatchObject({
      brokers: 'env:9092',
      dryRun: false,
      transactionSize: 1000,
      rate: undefined,
    });
    expect(options.selection).toEqual({});
    expect(options.group).toMatch(/^kafka-batch-redrive\.a\.DLT\.[0-9a-f]{12}$/);
    expect(parse('--from', 'a.DLT').group).toBe(parse('--from', 'a.DLT', '--dry-run').group);
    expect(parse('--from', 'a.DLT').group).not.toBe(parse('--from', 'a.DLT', '--exception', 'E').group);
    expect(parse('--from', 'a.DLT', '--group', 'mine').group).toBe('mine');
  });

  it.each([
    [[], '--from <dead-letter topic> is required'],
    [['--from', 'a b'], '--from must be a topic name: 1..249 of A-Z a-z 0-9 . _ - (got "a b")'],
    [['--from', 'a', '--to', 'a'], '--to must not be the dead-letter topic itself'],
    [['--from', 'a', '--exception', '('], '--exception must be a regular expression'],
    [['--from', 'a', '--partition', '1,x'], '--partition must be an integer in 0..2147483647 (got "x")'],
    [['--from', 'a', '--offsets', '9-3'], '--offsets must be A-B with integers 0 <= A <= B (got "9-3")'],
    [
      ['--from', 'a', '--since', 'yesterday'],
      '--since must be an ISO 8601 time or ms since the epoch (got "yesterday")',
    ],
    [['--from', 'a', '--since', '2026-12-02', '--until', '2026-12-01'], '--since must be before --until'],
    [
      ['--from', 'a', '--transaction-size', '0'],
      '--transaction-size must be an integer in 1..100000 (got "0")',
    ],
    [['--from', 'a', '-X', 'novalue'], '-X must be key=value (got "novalue")'],
    [['--from', 'a', '-X', 'transactional.id=x'], '-X transactional.id is set by the redrive itself'],
    [['--from', 'a', '--bogus'], "Unknown option '--bogus'"],
  ])('rejects %j: %s', (args, message) => {
    expect(() => parseRedriveOptions(args, {})).toThrow(message);
  });

  it('asks for help', () => {
    expect(parseRedriveOptions(['--help'], {})).toBe('help');
  });
});
