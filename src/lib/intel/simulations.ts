/**
 * A what-if simulation of a loaded context: the same forecast input the
 * forecast route builds, the holdings' market value from the Gold portfolio,
 * and the recent anomalies, handed to the pure core (src/domain/intel/what-if.ts).
 * Reads only: nothing here writes accounts, journals or Gold.
 */
import { readPortfolio } from "../../db/pipeline/portfolio-reads";
import type { ForecastInput } from "../../domain/intel/forecast";
import { recentAnomalies } from "../../domain/intel/risk";
import { type Change, simulate } from "../../domain/intel/what-if";
import { symbolSpec } from "../../domain/market/symbols";
import { CURRENCIES } from "../../domain/money";
import { currentPortfolio } from "../../domain/portfolio/report";
import { balancesOf, type IntelContext, kept } from "./context";

const assetClassOf = (symbol: string) => symbolSpec(symbol)?.asset_class ?? "unknown";

export async function holdingsValue(env: Env, userId: string, currency: string, asOf: string): Promise<number> {
  const rows = await readPortfolio(env.DB, userId, currency, asOf, asOf);
  return Number(currentPortfolio(rows, CURRENCIES[currency] ?? 2, assetClassOf).positions_value);
}

export async function forecastInput(
  env: Env,
  ctx: IntelContext,
  q: { currency: string; horizon_days: number; buffer: number },
): Promise<ForecastInput> {
  const { balance } = await balancesOf(env, ctx, q.currency);
  return {
    user_id: ctx.userId,
    as_of: ctx.asOf,
    horizon_days: q.horizon_days,
    currency: q.currency,
    starting_balance: balance,
    history: ctx.transactions,
    streams: kept(ctx.streams),
    buffer: q.buffer,
  };
}

export async function runSimulation(
  env: Env,
  ctx: IntelContext,
  q: { currency: string; horizon_days: number; buffer: number; changes: readonly Change[] },
) {
  const [input, holdings] = await Promise.all([forecastInput(env, ctx, q), holdingsValue(env, ctx.userId, q.currency, ctx.asOf)]);
  return simulate(input, q.changes, holdings, recentAnomalies(ctx.transactions, ctx.asOf, q.currency));
}
