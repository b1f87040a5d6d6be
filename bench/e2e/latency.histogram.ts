/** Buckets per doubling of the latency: each bucket spans about 4.4 %, plenty for a p99. */
const BUCKETS_PER_OCTAVE = 16;

/** Sparse bucket counts, as children send them to the harness (bucket index → count). */
export type LatencyBuckets = Record<number, number>;

/**
 * End-to-end latencies in milliseconds, kept as counts in logarithmic buckets: millions of
 * records cost a few hundred numbers, and histograms from several processes add up.
 */
export class LatencyHistogram {
  private counts = new Map<number, number>();

  record(milliseconds: number): void {
    const bucket = milliseconds <= 1 ? 0 : Math.ceil(Math.log2(milliseconds) * BUCKETS_PER_OCTAVE);
    this.counts.set(bucket, (this.counts.get(bucket) ?? 0) + 1);
  }

  add(buckets: LatencyBuckets): void {
    for (const [bucket, count] of Object.entries(buckets)) {
      this.counts.set(Number(bucket), (this.counts.get(Number(bucket)) ?? 0) + count);
    }
  }

  get count(): number {
    let total = 0;
    for (const count of this.counts.values()) total += count;
    return total;
  }

  /** The upper bound of the bucket holding the p-th percentile (0 < p ≤ 100); undefined when empty. */
  percentile(p: number): number | undefined {
    const rank = Math.ceil((p / 100) * this.count);
    let seen = 0;
    for (const bucket of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bucket)!;
      if (seen >= rank && rank > 0) return 2 ** (bucket / BUCKETS_PER_OCTAVE);
    }
    return undefined;
  }

  /** The counts so far, emptied: each report carries only what is new. */
  take(): LatencyBuckets {
    const buckets = Object.fromEntries(this.counts);
    this.counts = new Map();
    return buckets;
  }
}
