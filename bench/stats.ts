/**
 * The medians the bench tables print, and how the timed ones are taken: each case in
 * turn, round after round, so that a load that comes and goes lands on all of them.
 */

/** The median of `values` (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Measures cases `0 … count - 1` with `measure`, one after another, `rounds` times over,
 * and returns each case's median.
 *
 * @example
 * const ms = mediansInTurns(files.length, 9, (i) => importMs(files[i]!));
 */
export function mediansInTurns(
  count: number,
  rounds: number,
  measure: (index: number) => number,
): number[] {
  const samples: number[][] = Array.from({ length: count }, () => []);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < count; i++) samples[i]!.push(measure(i));
  }
  return samples.map(median);
}
