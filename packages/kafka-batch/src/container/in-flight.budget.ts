/**
 * Counts records and payload bytes fetched but not yet done. The container stops fetching when
 * the budget is full (holding its polls, then pausing the partitions if it stays full) and
 * resumes paused partitions when it has drained to half, so memory stays flat whatever the
 * backlog.
 */
export class InFlightBudget {
  private records = 0;
  private bytes = 0;

  constructor(
    readonly maxRecords: number,
    readonly maxBytes: number,
  ) {}

  add(records: number, bytes: number): void {
    this.records += records;
    this.bytes += bytes;
  }

  release(records: number, bytes: number): void {
    this.records = Math.max(0, this.records - records);
    this.bytes = Math.max(0, this.bytes - bytes);
  }

  get full(): boolean {
    return this.records >= this.maxRecords || this.bytes >= this.maxBytes;
  }

  get drained(): boolean {
    return this.records <= this.maxRecords / 2 && this.bytes <= this.maxBytes / 2;
  }

  get inFlightRecords(): number {
    return this.records;
  }

  get inFlightBytes(): number {
    return this.bytes;
  }
}
