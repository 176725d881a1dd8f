/** The labelled set's seeded draws (xoroshiro128+ from pure-rand): the same seed gives the same set. */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { probit } from "simple-statistics";

export type Rng = RandomGenerator;

export const rngOf = (seed: number): Rng => xoroshiro128plus(seed);
export const unit = (rng: Rng): number => uniformFloat64(rng);
export const between = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * unit(rng);
export const intIn = (rng: Rng, lo: number, hi: number): number => uniformInt(rng, lo, hi);
export const chance = (rng: Rng, p: number): boolean => unit(rng) < p;
export const pickOne = <T>(rng: Rng, items: readonly T[]): T => items[intIn(rng, 0, items.length - 1)]!;

/** A standard normal draw (inverse CDF of a uniform strictly inside (0, 1)). */
export function normal(rng: Rng): number {
  const u = unit(rng);
  return probit(u === 0 ? Number.MIN_VALUE : u);
}

/** Knuth's Poisson draw (small means only). */
export function poisson(rng: Rng, mean: number): number {
  const limit = Math.exp(-mean);
  let k = 0;
  let p = unit(rng);
  while (p > limit) {
    k++;
    p *= unit(rng);
  }
  return k;
}

/** An index drawn with probability proportional to its weight. */
export function weighted(rng: Rng, weights: readonly number[]): number {
  let r = unit(rng) * weights.reduce((s, w) => s + w, 0);
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0) return i;
  }
  return weights.length - 1;
}
