/** The health and risk scores of a loaded context: the cores fed from Silver, the streams and Gold. */
import { healthScore } from "../../domain/intel/health";
import { recentAnomalies, riskScore } from "../../domain/intel/risk";
import { balancesOf, type IntelContext, kept } from "./context";

export async function healthOf(env: Env, ctx: IntelContext, currency: string) {
  const { daily, balance } = await balancesOf(env, ctx, currency);
  return healthScore({
    as_of: ctx.asOf,
    currency,
    transactions: ctx.transactions,
    streams: kept(ctx.streams),
    balance,
    daily_balances: daily,
  });
}

export async function riskOf(env: Env, ctx: IntelContext, currency: string) {
  const { daily, balance } = await balancesOf(env, ctx, currency);
  return riskScore({
    as_of: ctx.asOf,
    currency,
    transactions: ctx.transactions,
    balance,
    daily_balances: daily,
    anomalies: recentAnomalies(ctx.transactions, ctx.asOf, currency),
  });
}
