import { LatencyHistogram } from '../../e2e/latency.histogram';

describe('LatencyHistogram', () => {
  it('reports percentiles within a bucket (about 4.4 %) of the true value', () => {
    const histogram = new LatencyHistogram();
    for (let ms = 1; ms <= 1_000; ms++) histogram.record(ms);
    expect(histogram.percentile(50)).toBeGreaterThanOrEqual(500);
    expect(histogram.percentile(50)).toBeLessThan(500 * 1.045);
    expect(histogram.percentile(99)).toBeGreaterThanOrEqual(990);
    expect(histogram.percentile(99)).toBeLessThan(990 * 1.045);
  });

  it('adds up what several processes took from theirs', () => {
    const [a, b, total] = [new LatencyHistogram(), new LatencyHistogram(), new LatencyHistogram()];
    for (let i = 0; i < 99; i++) a.record(10);
    b.record(5_000);
    total.add(a.take());
    total.add(b.take());
    expect(total.count).toBe(100);
    expect(a.count).toBe(0);
    expect(total.percentile(99)).toBeLessThan(11);
    expect(total.percentile(100)).toBeGreaterThanOrEqual(5_000);
  });

  it('has no percentile when empty', () => {
    expect(new LatencyHistogram().percentile(99)).toBeUndefined();
  });
});
