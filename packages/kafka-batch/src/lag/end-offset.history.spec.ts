import { EndOffsetHistory } from './end-offset.history';

describe('EndOffsetHistory', () => {
  it('has no answer before the first sample', () => {
    expect(new EndOffsetHistory(10).timeLagMs(0, 1_000)).toBeUndefined();
  });

  it('is zero when the committed offset has reached the end', () => {
    const history = new EndOffsetHistory(10);
    history.record(100, 1_000);
    expect(history.timeLagMs(100, 9_000)).toBe(0);
  });

  it('interpolates the produce time of the next record between the samples that bracket it', () => {
    const history = new EndOffsetHistory(10);
    history.record(100, 10_000);
    history.record(200, 20_000);
    // Offsets 100..199 were produced between 10 s and 20 s; offset 149 is the 50th of them.
    expect(history.timeLagMs(149, 30_000)).toBe(15_000);
    expect(history.timeLagMs(199, 30_000)).toBe(10_000);
  });

  it('dates records after a quiet period from the last time the old end offset was seen', () => {
    const history = new EndOffsetHistory(10);
    history.record(100, 0);
    history.record(100, 50_000);
    history.record(110, 60_000);
    // Offset 100 did not exist at 50 s; it was written between 50 s and 60 s.
    expect(history.timeLagMs(100, 70_000)).toBe(19_000);
  });

  it('extrapolates at the average produce rate for offsets older than the table', () => {
    const history = new EndOffsetHistory(10);
    history.record(1_000, 10_000);
    history.record(2_000, 20_000);
    // 100 records per second: offset 500 was produced 5 s before the first sample.
    expect(history.timeLagMs(500, 30_000)).toBe(25_000);
  });

  it('answers the lower bound for old offsets when the table shows no production', () => {
    const history = new EndOffsetHistory(10);
    history.record(1_000, 10_000);
    history.record(1_000, 14_000);
    // Offset 10 existed when the end offset was first seen at 10 s.
    expect(history.timeLagMs(10, 15_000)).toBe(5_000);
  });

  it('keeps only the newest samples and starts over when the log is recreated', () => {
    const history = new EndOffsetHistory(2);
    history.record(10, 1_000);
    history.record(20, 2_000);
    history.record(30, 3_000);
    // The 10@1s sample fell out: offset 15 is extrapolated from 20@2s and 30@3s (10 per second).
    expect(history.timeLagMs(15, 4_000)).toBe(2_500);
    history.record(5, 5_000);
    expect(history.timeLagMs(0, 6_000)).toBe(1_000);
  });
});
