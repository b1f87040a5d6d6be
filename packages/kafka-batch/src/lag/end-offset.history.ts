interface EndOffsetSample {
  offset: number;
  /** First and last time this end offset was seen: records after it appeared in between samples. */
  firstSeenAt: number;
  lastSeenAt: number;
}

/**
 * When each end offset of one partition was observed (kafka-lag-exporter's lookup table): lag in
 * seconds is the age of the first unprocessed record, whose produce time is interpolated between
 * the two samples that bracket it.
 */
export class EndOffsetHistory {
  private samples: EndOffsetSample[] = [];

  constructor(private readonly capacity: number) {}

  record(offset: number, at: number): void {
    const last = this.samples.at(-1);
    // A topic deleted and recreated starts over; the old table says nothing about the new log.
    if (last && offset < last.offset) this.samples = [];
    if (last && offset === last.offset) last.lastSeenAt = at;
    else this.samples.push({ offset, firstSeenAt: at, lastSeenAt: at });
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  /** Age in ms of the record at `committedOffset` (the next one to process); 0 when caught up. */
  timeLagMs(committedOffset: number, now: number): number | undefined {
    const last = this.samples.at(-1);
    if (!last) return undefined;
    if (committedOffset >= last.offset) return 0;
    return Math.max(0, now - this.producedAt(committedOffset));
  }

  private producedAt(offset: number): number {
    const after = this.samples.findIndex((s) => s.offset > offset);
    const first = this.samples[0];
    if (after > 0) {
      const before = this.samples[after - 1];
      const next = this.samples[after];
      const share = (offset - before.offset + 1) / (next.offset - before.offset);
      return before.lastSeenAt + share * (next.firstSeenAt - before.lastSeenAt);
    }
    // Older than the table: extrapolate at the table's average produce rate, or, with no rate to
    // go by, answer with the lower bound (it existed when the first sample was taken).
    const last = this.samples.at(-1)!;
    const ratePerMs = (last.offset - first.offset) / (last.firstSeenAt - first.firstSeenAt);
    if (!(ratePerMs > 0)) return first.firstSeenAt;
    return first.firstSeenAt - (first.offset - offset) / ratePerMs;
  }
}
