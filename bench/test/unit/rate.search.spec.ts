import { nextRateToTry } from '../../e2e/rate.search';

describe('nextRateToTry', () => {
  it('bisects between the highest rate held and the lowest not held', () => {
    expect(
      nextRateToTry([
        { rate: 8_000, held: true },
        { rate: 40_000, held: false },
        { rate: 80_000, held: false },
      ]),
    ).toBe(24_000);
  });

  it('searches below the first rate when even that was not held', () => {
    expect(nextRateToTry([{ rate: 8_000, held: false }])).toBe(4_000);
  });

  it('stops when every rate tried was held, or the gap is within 5 %', () => {
    expect(nextRateToTry([{ rate: 8_000, held: true }])).toBeUndefined();
    expect(
      nextRateToTry([
        { rate: 20_000, held: true },
        { rate: 21_000, held: false },
      ]),
    ).toBeUndefined();
  });
});
