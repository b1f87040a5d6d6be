/**
 * Tracks, for one partition, which delivered offsets are done (acknowledged, dead-lettered or
 * skipped) and yields the offset that is safe to commit: every delivered record below it is done.
 * Offsets are tracked in delivery order; they need not be consecutive (compaction and transaction
 * markers leave gaps), so "contiguous" means contiguous in delivery order. A gap is therefore
 * committed over: the container must not drop a fetched record of a tracked partition unless a
 * seek moves its position.
 */
export class PartitionOffsetTracker {
  private outstanding: number[] = [];
  private head = 0;
  private readonly doneAhead = new Set<number>();
  /** Done records a rewind will deliver again: they are not handed out a second time. */
  private readonly doneBeforeRewind = new Set<number>();
  private lastDelivered: number | undefined;
  private safe: number | undefined;
  /** Where this consumer started on the partition: nothing below it was ours to commit. */
  private base: number | undefined;
  private sent: number | undefined;
  private confirmed: number | undefined;

  /**
   * Records a delivered offset; true when the record is to be handed out. Deliveries arrive in
   * increasing order: an offset at or below the last one is a stale fetch from before a rewind or
   * seek and is refused. A record that was done before a rewind is delivered and done at once.
   */
  track(offset: number): boolean {
    if (this.lastDelivered !== undefined && offset <= this.lastDelivered) return false;
    // Whatever precedes the first delivery was committed before or lies before our start position.
    if (this.safe === undefined) this.safe = this.base = offset;
    else if (this.outstandingCount === 0) this.safe = offset;
    this.outstanding.push(offset);
    this.lastDelivered = offset;
    if (this.doneBeforeRewind.size === 0 || !this.doneBeforeRewind.delete(offset)) return true;
    this.doneAhead.add(offset);
    this.advance();
    return false;
  }

  complete(offset: number): void {
    if (offset < (this.firstOutstanding ?? Infinity) || offset > (this.lastDelivered ?? -1)) return;
    // Records are mostly done in delivery order: the oldest outstanding one needs no bookkeeping.
    if (offset === this.outstanding[this.head]) this.head++;
    else this.doneAhead.add(offset);
    this.advance();
  }

  /**
   * Forgets deliveries at and after `offset`: they will be delivered again (nack, missing ack,
   * retry). Records before `offset` keep their state; done ones after it (dead-lettered, say) are
   * not handed out again.
   */
  rewindTo(offset: number): void {
    let end = this.outstanding.length;
    while (end > this.head && this.outstanding[end - 1] >= offset) end--;
    this.outstanding.length = end;
    for (const o of this.doneAhead)
      if (o >= offset) {
        this.doneAhead.delete(o);
        this.doneBeforeRewind.add(o);
      }
    if (this.lastDelivered !== undefined && this.lastDelivered >= offset) this.lastDelivered = offset - 1;
    if (this.outstandingCount === 0 && this.safe !== undefined) this.safe = Math.min(this.safe, offset);
  }

  /**
   * An explicit seek moves the position: the next delivery defines the new commit base, and the
   * next commit may go backwards (replay) without being taken for a stale one.
   */
  reset(): void {
    this.outstanding = [];
    this.head = 0;
    this.doneAhead.clear();
    this.doneBeforeRewind.clear();
    this.lastDelivered = undefined;
    this.safe = undefined;
    this.base = undefined;
    this.sent = undefined;
  }

  /**
   * Exactly-once mode: the database says the partition is done below `offset`. The next commit
   * says so to Kafka too (lag and Kafka's tools follow the database), even before any delivery.
   */
  startAt(offset: number): void {
    this.reset();
    this.safe = offset;
  }

  /** The offset to commit now, or undefined when there is nothing newer than what was sent. */
  committable(): number | undefined {
    if (this.safe === undefined || this.safe === this.base) return undefined;
    if (this.sent !== undefined && this.safe <= this.sent) return undefined;
    if (this.sent === undefined && this.confirmed !== undefined && this.safe === this.confirmed)
      return undefined;
    return this.safe;
  }

  /** A commit of `offset` is on its way; an older offset is never sent after it. */
  commitSent(offset: number): void {
    this.sent = offset;
  }

  commitConfirmed(offset: number): void {
    this.confirmed = offset;
  }

  /** The commit did not happen: allow the same offset to be sent again. */
  commitFailed(offset: number): void {
    if (this.sent === offset) this.sent = undefined;
  }

  get confirmedOffset(): number | undefined {
    return this.confirmed;
  }

  get outstandingCount(): number {
    return this.outstanding.length - this.head;
  }

  /** The oldest delivered offset that is not done. */
  get firstOutstanding(): number | undefined {
    return this.head < this.outstanding.length ? this.outstanding[this.head] : undefined;
  }

  private advance(): void {
    while (
      this.doneAhead.size > 0 &&
      this.head < this.outstanding.length &&
      this.doneAhead.delete(this.outstanding[this.head])
    )
      this.head++;
    this.safe =
      this.firstOutstanding ?? (this.lastDelivered === undefined ? this.safe : this.lastDelivered + 1);
    // Compact now and then so the array does not grow with the partition's history.
    if (this.head > 4096 && this.head * 2 > this.outstanding.length) {
      this.outstanding = this.outstanding.slice(this.head);
      this.head = 0;
    }
  }
}
