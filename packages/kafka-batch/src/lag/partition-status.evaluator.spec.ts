import { evaluatePartitionStatus, OffsetSample } from './partition-status.evaluator';

const window = (...points: [offset: number, lag: number][]): OffsetSample[] =>
  points.map(([offset, lag], i) => ({ offset, lag, at: i * 1_000 }));

describe('evaluatePartitionStatus (Burrow rules)', () => {
  it('is OK when the lag reached zero anywhere in the window', () => {
    expect(evaluatePartitionStatus(window([10, 5], [10, 0], [10, 7], [10, 9]), 4, true)).toBe('OK');
  });

  it('is OK with too few samples to judge', () => {
    expect(evaluatePartitionStatus(window([10, 5]), 4, true)).toBe('OK');
    expect(evaluatePartitionStatus(window([10, 5], [10, 6], [10, 7]), 4, true)).toBe('OK');
  });

  it('reports REWIND as soon as the committed offset goes backwards', () => {
    expect(evaluatePartitionStatus(window([50, 5], [20, 35]), 4, true)).toBe('REWIND');
  });

  it('reports STALL when a live consumer holds the partition but its offset does not move', () => {
    expect(evaluatePartitionStatus(window([10, 5], [10, 5], [10, 8], [10, 8]), 4, true)).toBe('STALL');
  });

  it('reports STOP when the offset does not move and nothing consumes the partition', () => {
    expect(evaluatePartitionStatus(window([10, 5], [10, 5], [10, 8], [10, 8]), 4, false)).toBe('STOP');
  });

  it('reports WARN when the offset moves but the lag never shrinks', () => {
    expect(evaluatePartitionStatus(window([10, 5], [12, 5], [15, 9], [20, 12]), 4, true)).toBe('WARN');
  });

  it('is OK when the offset moves and the lag shrinks at least once', () => {
    expect(evaluatePartitionStatus(window([10, 5], [12, 9], [15, 7], [20, 12]), 4, true)).toBe('OK');
  });
});
