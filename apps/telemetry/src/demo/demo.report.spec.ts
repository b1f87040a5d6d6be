import { DemoResult, demoReport } from './demo.report';

const run = (partitionLagMax: number, backlogAtStart = 0, counted = 100): DemoResult => ({
  broker: 'localhost:9092',
  database: 'local',
  devices: 500_000,
  durationSeconds: 60,
  simulation: {
    sent: 101,
    delivered: 101,
    errors: 0,
    kinds: { valid: 99, duplicate: 1, invalid: 1 },
    seconds: 60,
    rate: 8_333,
  },
  backlogAtStart,
  rowsBefore: { telemetry_readings: 0, device_latest: 0 },
  rowsAfter: { telemetry_readings: 99, device_latest: 99 },
  counted,
  deadLettered: 1,
  dltTopic: 'telemetry.readings.DLT',
  drainSeconds: 0.4,
  partitionLag: { max: partitionLagMax, warmUpSeconds: 10, batch: 500 },
  probes: { '/health/live': 200 },
  shutdown: 'clean',
});

describe('demoReport', () => {
  it('says how far behind any partition was under load, and holds it to one batch', () => {
    const held = demoReport(run(312));
    expect(held.text).toContain(
      'at most 312 records behind on any partition after a 10 s warm-up (one batch: 500)',
    );
    expect(held.text).toContain('✓ lag under one batch per partition');
    expect(held.ok).toBe(true);

    const behind = demoReport(run(501));
    expect(behind.text).toContain('✗ lag under one batch per partition');
    expect(behind.ok).toBe(false);
  });

  it('holds the per-minute counts to the valid messages sent: once each, resends included', () => {
    expect(demoReport(run(0)).text).toContain(
      '✓ per-minute counts = valid messages sent (each counted once)',
    );
    const twice = demoReport(run(0, 0, 101));
    expect(twice.text).toContain('✗ per-minute counts = valid messages sent');
    expect(twice.ok).toBe(false);
  });

  it('does not judge the bound when an earlier backlog was left to drain', () => {
    const report = demoReport({
      ...run(5_000, 20_000, 20_100),
      rowsAfter: { telemetry_readings: 20_099, device_latest: 99 },
    });
    expect(report.text).not.toContain('lag under one batch');
    expect(report.ok).toBe(true);
  });
});
