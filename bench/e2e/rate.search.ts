/**
 * The next rate to try when looking for the highest rate held: halfway between the highest
 * rate held and the lowest one not held; undefined when nothing above a held rate failed, or
 * when the two are within 5 % of each other.
 */
export function nextRateToTry(tried: readonly { rate: number; held: boolean }[]): number | undefined {
  const held = Math.max(0, ...tried.filter((t) => t.held).map((t) => t.rate));
  const failed = tried.filter((t) => !t.held && t.rate > held).map((t) => t.rate);
  if (failed.length === 0) return undefined;
  const lowestFailed = Math.min(...failed);
  if (lowestFailed - held <= 0.05 * lowestFailed) return undefined;
  return Math.round((held + lowestFailed) / 2);
}
