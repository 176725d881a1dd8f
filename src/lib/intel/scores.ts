/** The health and risk scores and the digests of a loaded context: the cores fed from Silver, the streams, Gold and the stored anomaly scores. */
import { userAnomaliesBetween } from "../../db/intel/anomalies";
import { buildDigest, type DigestPeriod, periodWindows } from "../../domain/intel/digest";
import { forecast } from "../../domain/intel/forecast";
import { healthScore } from "../../domain/intel/health";
import { recentAnomalies, riskScore } from "../../domain/intel/risk";
import { balancesOf, type IntelContext, kept } from "./context";
import { forecastInput } from "./simulations";

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

export const DIGEST_FORECAST_DAYS = 30;

export async function digestOf(env: Env, ctx: IntelContext, currency: string, period: DigestPeriod) {
  const f = forecast(await forecastInput(env, ctx, { currency, horizon_days: DIGEST_FORECAST_DAYS, buffer: 0 }));
  const { current } = periodWindows(period, ctx.asOf);
  const anomalies = await userAnomaliesBetween(env.DB, ctx.userId, current.start, current.end);
  return buildDigest({
    period,
    as_of: ctx.asOf,
    currency,
    transactions: ctx.transactions,
    streams: kept(ctx.streams),
    forecast_low: f.lowest && { date: f.lowest.date, p50: f.lowest.p50 },
    anomalies,
  });
}
