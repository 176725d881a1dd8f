/**
 * The built-in price simulator: geometric Brownian motion in its exact form,
 * reproducible from the symbol alone.
 *
 * - Daily closes: S_d = S_{d-1} · exp((μ − σ²/2)Δ + σ√Δ·Z_d), Δ = 1/365 (the
 *   always-open calendar local dev uses), Z_d from a xoroshiro128+ stream
 *   seeded by the symbol, day 0 = ORIGIN_DAY.
 * - Within a day, the log price is a Brownian bridge on a STEP_MS grid from the
 *   previous close to the day's close, so the ticks a listener saw and the
 *   daily bar history always agree, whatever day the history is built on.
 *
 * The same (symbol, instant) gives the same price on every machine and run.
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { RandomGenerator } from "pure-rand/types/RandomGenerator";
import { probit } from "simple-statistics";
import { PRICE_SCALE } from "./decimal";
import type { SymbolSpec } from "./symbols";

export const DAY_MS = 86_400_000;
/** The simulated path moves every 10 seconds. */
export const STEP_MS = 10_000;
export const STEPS_PER_DAY = DAY_MS / STEP_MS;
/** Day 0 of every simulated path: 2020-01-01T00:00:00Z. */
export const ORIGIN_MS = Date.UTC(2020, 0, 1);
const YEAR_FRACTION_PER_DAY = 1 / 365;

/** FNV-1a, 32 bits: a stable seed from a string. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

/** A standard normal draw: the inverse CDF of a uniform strictly inside (0, 1). */
function normal(rng: RandomGenerator): number {
  const u = uniformFloat64(rng);
  return probit(u === 0 ? Number.MIN_VALUE : u);
}

const closeCache = new Map<string, number[]>();
const dailyStreams = new Map<string, { rng: RandomGenerator }>();

/** ln of the close of day `day` (day −1 is the origin price). */
export function logClose(spec: SymbolSpec, day: number): number {
  if (day < 0) return Math.log(spec.sim.s0);
  let logs = closeCache.get(spec.symbol);
  if (!logs) {
    logs = [];
    closeCache.set(spec.symbol, logs);
  }
  const { mu, sigma } = spec.sim;
  const drift = (mu - (sigma * sigma) / 2) * YEAR_FRACTION_PER_DAY;
  const shock = sigma * Math.sqrt(YEAR_FRACTION_PER_DAY);
  // One stream per symbol, drawn in day order; the cache keeps what was drawn.
  const state = dailyStreams.get(spec.symbol) ?? { rng: xoroshiro128plus(seedOf(spec.symbol)) };
  dailyStreams.set(spec.symbol, state);
  while (logs.length <= day) {
    const prev = logs.length === 0 ? Math.log(spec.sim.s0) : logs[logs.length - 1]!;
    logs.push(prev + drift + shock * normal(state.rng));
  }
  return logs[day]!;
}
/** The day index of an instant (0 = ORIGIN_MS's day). */
export function dayIndex(t: number): number {
  return Math.floor((t - ORIGIN_MS) / DAY_MS);
}

/** Walks one day's bridge step by step; `at(k)` is the log price after k steps. */
export class DayPath {
  readonly day: number;
  private readonly rng: RandomGenerator;
  private readonly target: number;
  private readonly stepVariance: number;
  private k = 0;
  private x: number;

  constructor(
    readonly spec: SymbolSpec,
    day: number,
  ) {
    this.day = day;
    this.rng = xoroshiro128plus(seedOf(`${spec.symbol}:${day}`));
    this.x = logClose(spec, day - 1);
    this.target = logClose(spec, day);
    this.stepVariance = (spec.sim.sigma * spec.sim.sigma * YEAR_FRACTION_PER_DAY) / STEPS_PER_DAY;
  }

  /** The log price after `k` steps (0 ≤ k ≤ STEPS_PER_DAY), advancing from where the walk is. */
  at(k: number): number {
    if (k < this.k) throw new RangeError("a day path only moves forward");
    while (this.k < k) this.step();
    return this.x;
  }

  private step(): void {
    const left = STEPS_PER_DAY - this.k;
    const z = normal(this.rng);
    this.x += (this.target - this.x) / left + Math.sqrt((this.stepVariance * (left - 1)) / left) * z;
    this.k += 1;
    if (this.k === STEPS_PER_DAY) this.x = this.target;
  }
}

/** A price as an integer at PRICE_SCALE, rounded to the symbol's precision. */
export function toScaledPrice(spec: SymbolSpec, logPrice: number): number {
  const unit = 10 ** spec.price_precision;
  const rounded = Math.max(1, Math.round(Math.exp(logPrice) * unit));
  return rounded * (PRICE_SCALE / unit);
}

/** The simulated price at instant `t` (the grid point at or before it), at PRICE_SCALE. */
export function simulatedPrice(spec: SymbolSpec, t: number): number {
  const day = dayIndex(t);
  const k = Math.floor((t - (ORIGIN_MS + day * DAY_MS)) / STEP_MS);
  return toScaledPrice(spec, new DayPath(spec, day).at(k));
}

export interface DailyBar {
  day: number;
  o: number;
  h: number;
  l: number;
  c: number;
}

/** The whole simulated day as one OHLC bar (prices at PRICE_SCALE). */
export function simulatedDailyBar(spec: SymbolSpec, day: number): DailyBar {
  const path = new DayPath(spec, day);
  const o = toScaledPrice(spec, path.at(0));
  let h = o;
  let l = o;
  for (let k = 1; k <= STEPS_PER_DAY; k++) {
    const p = toScaledPrice(spec, path.at(k));
    if (p > h) h = p;
    if (p < l) l = p;
  }
  return { day, o, h, l, c: toScaledPrice(spec, path.at(STEPS_PER_DAY)) };
}
