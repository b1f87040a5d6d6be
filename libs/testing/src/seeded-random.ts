import { createHash } from 'node:crypto';
import { testOutput } from './test-output';

function seedOfThisRun(): number {
  const given = process.env.TEST_SEED;
  if (given === undefined || given === '') return Date.now() % 2 ** 31;
  if (!/^\d+$/.test(given)) throw new Error(`TEST_SEED must be a non-negative integer (got "${given}")`);
  return Number(given);
}

/**
 * Random numbers in [0, 1) for a test's random choices (`what`), repeatable: the seed is
 * TEST_SEED when set, else the clock, and it goes to the test's output, so a failure shows how to
 * run the same choices again.
 */
export function seededRandom(what: string): () => number {
  const seed = seedOfThisRun();
  testOutput('seed', `${what}: TEST_SEED=${seed} repeats these choices`);
  let draw = 0;
  return () => createHash('sha256').update(`${seed}:${draw++}`).digest().readUInt32BE(0) / 2 ** 32;
}
