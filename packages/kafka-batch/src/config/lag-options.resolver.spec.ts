import { KafkaBatchConfigError } from './listener-options.resolver';
import { resolveLagOptions } from './lag-options.resolver';

describe('resolveLagOptions', () => {
  it('applies the defaults', () => {
    expect(resolveLagOptions()).toEqual({ enabled: true, intervalMs: 5_000, windowSize: 10 });
  });

  it.each([
    [{ intervalMs: 10 }, 'option "lag.intervalMs" must be an integer in 100..3600000 (got 10)'],
    [{ windowSize: 1.5 }, 'option "lag.windowSize" must be an integer in 2..1000 (got 1.5)'],
    [{ enabled: 'yes' as never }, 'option "lag.enabled" must be true or false (got "yes")'],
  ])('rejects %j naming the module, the option and the allowed values', (bad, message) => {
    const attempt = () => resolveLagOptions(bad);
    expect(attempt).toThrow(KafkaBatchConfigError);
    expect(attempt).toThrow(`KafkaBatchModule: ${message}`);
  });
});
