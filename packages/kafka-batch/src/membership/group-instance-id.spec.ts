import { resolveGroupInstanceId } from './group-instance-id';

describe('resolveGroupInstanceId', () => {
  it('uses an explicit id as given', () => {
    expect(resolveGroupInstanceId('writer-0', 'L', { POD_NAME: 'p-1' })).toBe('writer-0');
  });

  it('derives a stable, unique id from POD_NAME and the listener id by default', () => {
    expect(
      resolveGroupInstanceId(undefined, 'Readings.onBatch', { POD_NAME: 'telemetry-2', HOSTNAME: 'h' }),
    ).toBe('telemetry-2-Readings.onBatch');
  });

  it('stays dynamic by default when only HOSTNAME is known', () => {
    expect(resolveGroupInstanceId(undefined, 'L', { HOSTNAME: 'laptop' })).toBeUndefined();
  });

  it("falls back to HOSTNAME when asked for with 'auto'", () => {
    expect(resolveGroupInstanceId('auto', 'L', { HOSTNAME: 'telemetry-0' })).toBe('telemetry-0-L');
    expect(resolveGroupInstanceId('auto', 'L', {})).toBeUndefined();
  });

  it('is off with false, whatever the environment', () => {
    expect(resolveGroupInstanceId(false, 'L', { POD_NAME: 'p-0' })).toBeUndefined();
  });

  it('replaces characters Kafka ids should not carry', () => {
    expect(resolveGroupInstanceId(undefined, 'A B/c', { POD_NAME: 'pod' })).toBe('pod-A-B-c');
  });
});
