/**
 * The built-in simulator as the MarketDO runs it: one trade per STEP_MS grid
 * point while someone listens (the price is src/domain/market/simulator.ts's,
 * so it is the same on every machine), and a year of simulated daily bars the
 * first time a simulated symbol is used, so charts are never empty.
 */
import { formatScaled, PRICE_DECIMALS, QTY_SCALE } from "../../src/domain/market/decimal";
import type { HistoryBar } from "../../src/domain/market/history-csv";
import { DAY_MS, DayPath, dayIndex, ORIGIN_MS, STEP_MS, seedOf, simulatedDailyBar, toScaledPrice } from "../../src/domain/market/simulator";
import type { SymbolSpec } from "../../src/domain/market/symbols";
import type { RawTick } from "../../src/domain/market/ticks";

export const BACKFILL_DAYS = 365;

/** The grid step an instant falls in (0 = ORIGIN_MS). */
export const stepOf = (t: number) => Math.floor((t - ORIGIN_MS) / STEP_MS);
/** When the step after `t` starts. */
export const nextStepAt = (t: number) => ORIGIN_MS + (stepOf(t) + 1) * STEP_MS;

/** A reproducible trade size for a grid step: 1 to 500 shares (crypto: 0.001 to 0.5 coins). */
function simulatedSize(spec: SymbolSpec, step: number): number {
  const units = (Math.abs(seedOf(`${spec.symbol}#${step}`)) % 500) + 1;
  return spec.asset_class === "crypto" ? units * (QTY_SCALE / 1000) : units * QTY_SCALE;
}

/** Walks the day's bridge forward across calls (a new day starts a new path). */
export class SimulatedFeed {
  #path: DayPath | null = null;
  #k = 0;

  constructor(readonly spec: SymbolSpec) {}

  /** The trade of the grid step containing `now`, stamped `now`. */
  tickAt(now: number): { step: number; tick: RawTick } {
    const step = stepOf(now);
    const day = dayIndex(now);
    const k = Math.floor((now - (ORIGIN_MS + day * DAY_MS)) / STEP_MS);
    if (!this.#path || this.#path.day !== day || k < this.#k) this.#path = new DayPath(this.spec, day);
    this.#k = k;
    const scaled = toScaledPrice(this.spec, this.#path.at(k));
    // The JSON number a feeder would send: the shortest decimal of the scaled price.
    const price = Number(formatScaled(scaled, PRICE_DECIMALS));
    return { step, tick: { symbol: this.spec.symbol, price, size: simulatedSize(this.spec, step) / QTY_SCALE, t: now } };
  }
}

/** The simulated daily bars of the `days` days before `now`'s day. */
export function backfillBars(spec: SymbolSpec, now: number, days = BACKFILL_DAYS): HistoryBar[] {
  const today = dayIndex(now);
  const bars: HistoryBar[] = [];
  for (let d = Math.max(0, today - days); d < today; d++) {
    const bar = simulatedDailyBar(spec, d);
    const volume = BigInt((Math.abs(seedOf(`${spec.symbol}@${d}`)) % 9_000_000) + 1_000_000) * BigInt(QTY_SCALE);
    bars.push({ t: ORIGIN_MS + d * DAY_MS, o: bar.o, h: bar.h, l: bar.l, c: bar.c, v: volume });
  }
  return bars;
}
