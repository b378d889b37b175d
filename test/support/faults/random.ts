/**
 * A seeded random generator for fault injection, so that a failing run can be replayed:
 * every suite prints its seed, and `FAULT_SEED=<seed> npx vitest run test/faults/<file>`
 * makes the same draws in the same order (the moments at which requests are made still
 * vary, so a replay repeats the fault pattern, not the exact interleaving).
 */

/** A generator of numbers in [0, 1): mulberry32, small and good enough for test draws. */
export type Random = () => number;

export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The seed for `suite`: `FAULT_SEED` when set, else a fresh one; printed either way. */
export function faultSeed(suite: string): number {
  const given = process.env.FAULT_SEED;
  const seed =
    given !== undefined && given !== "" ? Number(given) : Math.floor(Math.random() * 2 ** 31);
  if (!Number.isInteger(seed)) throw new Error(`FAULT_SEED must be an integer, got '${given}'.`);
  console.log(`[faults] ${suite}: seed ${seed} (replay with FAULT_SEED=${seed})`);
  return seed;
}

/** True with probability `rate`; draws from `random` only when `rate` is above 0. */
export function hit(random: Random, rate: number | undefined): boolean {
  return rate !== undefined && rate > 0 && random() < rate;
}
