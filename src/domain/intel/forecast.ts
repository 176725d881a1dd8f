/**
 * The balance forecast behind `GET /v1/forecast` (issue 12, "Forecast and
 * digital twin"): the active recurring streams projected on their schedules,
 * plus a seeded Monte Carlo of everything else.
 *
 * - Non-recurring history: every transaction of the currency in the lookback
 *   window [asOf − lookback_days, asOf) that no recurring stream claims, summed
 *   per UTC day (credits +, debits −; days without any are 0) and pooled by weekday.
 * - Active streams are projected from their next scheduled charge; one whose
 *   scheduled date has passed by at most its date tolerance is projected on the
 *   first forecast day (late, not missed); one later than that is not.
 * - Each of N paths (1,000 by default) walks the horizon day by day: the day's
 *   recurring flows plus one day drawn with replacement from the same
 *   weekday's pool (the whole lookback when that weekday has no day).
 * - The generator is xoroshiro128+ (pure-rand) seeded from "user_id|asOf", so the
 *   same question gets the same answer.
 * - Per day: P10/P50/P90 of the balance (numpy's linear quantile, rounded to
 *   integer minor units); the day of the lowest P50; the share of paths whose
 *   balance falls below the buffer on some day.
 */
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { quantileSorted } from "simple-statistics";
import { DATE_TOLERANCE, type RecurringStream, scheduledDate } from "./recurring";
import { addDays, dayDiff, dayOf, type IntelTransaction } from "./types";

export const DEFAULT_PATHS = 1_000;
export const DEFAULT_LOOKBACK_DAYS = 90;
export const MAX_HORIZON_DAYS = 366;

export interface ForecastInput {
  user_id: string;
  /** YYYY-MM-DD: the forecast starts the day after. */
  as_of: string;
  horizon_days: number;
  currency: string;
  /** The balance at the end of `as_of`, integer minor units. */
  starting_balance: number;
  history: readonly IntelTransaction[];
  streams: readonly RecurringStream[];
  /** Minor units; the probability is of any day ending below it. */
  buffer?: number;
  paths?: number;
  lookback_days?: number;
  /** What-if (src/domain/intel/what-if.ts): signed one-off flows on their days, added to the recurring ones. */
  extra_flows?: readonly { date: string; amount: number }[];
  /** What-if: annual interest in basis points on a path's positive (savings) and negative (credit) balance, daily. */
  rates?: { savings_bp: number; credit_bp: number };
}

export interface ForecastDay {
  date: string;
  p10: number;
  p50: number;
  p90: number;
  /** The day's projected recurring flows (signed). */
  recurring: number;
}

export interface Forecast {
  as_of: string;
  currency: string;
  horizon_days: number;
  paths: number;
  seed: string;
  days: ForecastDay[];
  lowest: { date: string; p50: number; p10: number } | null;
  buffer: number;
  probability_below_buffer: number;
  /** The recurring charges projected into the horizon, for the explanation. */
  projected: { stream_key: string; date: string; amount: number }[];
}

/** FNV-1a (32 bits) of the seed text: a stable generator seed. */
export function seedOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

const weekday = (day: string): number => new Date(`${day}T00:00:00Z`).getUTCDay();

/** The signed flows of active streams of the currency on scheduled days in (asOf, asOf + horizon]. */
export function projectStreams(
  streams: readonly RecurringStream[],
  currency: string,
  asOf: string,
  horizon: number,
): Forecast["projected"] {
  const end = addDays(asOf, horizon);
  const out: Forecast["projected"] = [];
  for (const s of streams) {
    if (!s.is_active || s.currency !== currency) continue;
    const signed = s.direction === "credit" ? s.current_amount : -s.current_amount;
    for (let k = s.transaction_ids.length; ; k++) {
      const date = scheduledDate(s.schedule, k);
      if (date > end) break;
      if (date > asOf) out.push({ stream_key: s.stream_key, date, amount: signed });
      // A charge due by now but still within its date tolerance is late, not missed: due on the first day.
      else if (dayDiff(date, asOf) <= DATE_TOLERANCE[s.frequency])
        out.push({ stream_key: s.stream_key, date: addDays(asOf, 1), amount: signed });
    }
  }
  return out.sort((a, b) => a.date.localeCompare(b.date) || a.stream_key.localeCompare(b.stream_key));
}

/** Daily non-recurring nets of the lookback window, pooled by weekday (0 = Sunday). */
export function weekdayPools(input: Pick<ForecastInput, "history" | "streams" | "currency" | "as_of" | "lookback_days">): number[][] {
  const lookback = input.lookback_days ?? DEFAULT_LOOKBACK_DAYS;
  const claimed = new Set(input.streams.flatMap((s) => s.transaction_ids));
  const start = addDays(input.as_of, -lookback);
  const net = new Map<string, number>();
  for (const tx of input.history) {
    const day = dayOf(tx.occurred_at);
    if (tx.currency !== input.currency || claimed.has(tx.id) || day < start || day >= input.as_of) continue;
    net.set(day, (net.get(day) ?? 0) + (tx.direction === "credit" ? tx.amount : -tx.amount));
  }
  const pools: number[][] = [[], [], [], [], [], [], []];
  for (let i = 0; i < lookback; i++) {
    const day = addDays(start, i);
    pools[weekday(day)]!.push(net.get(day) ?? 0);
  }
  return pools;
}

export function forecast(input: ForecastInput): Forecast {
  const horizon = input.horizon_days;
  if (!Number.isInteger(horizon) || horizon < 1 || horizon > MAX_HORIZON_DAYS)
    throw new RangeError(`horizon_days must be 1..${MAX_HORIZON_DAYS}`);
  const n = input.paths ?? DEFAULT_PATHS;
  if (!Number.isInteger(n) || n < 1) throw new RangeError("paths must be a positive integer");
  const buffer = input.buffer ?? 0;
  if (!Number.isSafeInteger(input.starting_balance) || !Number.isSafeInteger(buffer))
    throw new RangeError("starting_balance and buffer must be integer minor units");
  const projected = projectStreams(input.streams, input.currency, input.as_of, horizon);
  const recurringByDay = new Map<string, number>();
  for (const p of [...projected, ...(input.extra_flows ?? [])]) recurringByDay.set(p.date, (recurringByDay.get(p.date) ?? 0) + p.amount);
  const savingsDaily = (input.rates?.savings_bp ?? 0) / 10_000 / 365;
  const creditDaily = (input.rates?.credit_bp ?? 0) / 10_000 / 365;
  const pools = weekdayPools(input);
  const all = pools.flat();

  const seed = `${input.user_id}|${input.as_of}`;
  const rng = xoroshiro128plus(seedOf(seed));
  const dates = Array.from({ length: horizon }, (_, i) => addDays(input.as_of, i + 1));
  // balances[d][p]: exact while every balance stays below 2^53 (money.ts bounds balances far below).
  const balances = dates.map(() => new Float64Array(n));
  // Per day, hoisted out of the paths: the weekday's pool and the recurring flows.
  const dayPools = dates.map((date) => (pools[weekday(date)]!.length ? pools[weekday(date)]! : all));
  const dayFlows = dates.map((date) => recurringByDay.get(date) ?? 0);
  let below = 0;
  for (let p = 0; p < n; p++) {
    let balance = input.starting_balance;
    let dipped = false;
    for (let d = 0; d < horizon; d++) {
      const pool = dayPools[d]!;
      const draw = pool.length ? pool[uniformInt(rng, 0, pool.length - 1)]! : 0;
      balance += draw + dayFlows[d]!;
      if (balance !== 0 && (savingsDaily || creditDaily)) balance += Math.round(balance * (balance > 0 ? savingsDaily : creditDaily));
      balances[d]![p] = balance;
      if (balance < buffer) dipped = true;
    }
    if (dipped) below++;
  }
  const days: ForecastDay[] = dates.map((date, d) => {
    const sorted = balances[d]!.sort() as unknown as number[]; // a typed array sorts numerically, in place
    return {
      date,
      p10: Math.round(quantileSorted(sorted, 0.1)),
      p50: Math.round(quantileSorted(sorted, 0.5)),
      p90: Math.round(quantileSorted(sorted, 0.9)),
      recurring: recurringByDay.get(date) ?? 0,
    };
  });
  let lowest: Forecast["lowest"] = null;
  for (const day of days) if (!lowest || day.p50 < lowest.p50) lowest = { date: day.date, p50: day.p50, p10: day.p10 };
  return {
    as_of: input.as_of,
    currency: input.currency,
    horizon_days: horizon,
    paths: n,
    seed,
    days,
    lowest,
    buffer,
    probability_below_buffer: below / n,
    projected,
  };
}
