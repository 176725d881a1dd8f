/**
 * What-if simulations behind `POST /v1/simulations` (issue 12, FinTwin's
 * twin): the user's forecast input copied and changed by a scenario, run
 * through the same seeded forecast, next to the unchanged baseline. Pure: it
 * never sees storage, so a simulation cannot touch accounts, journals or Gold.
 *
 * - income_change: every recurring income stream's amount × (1 + percent/100).
 * - new_recurring_expense: a debit stream of `amount` on `frequency`'s schedule from `start_date`.
 * - one_off_withdrawal: −amount on `date`.
 * - rate_change: annual interest (basis points) on a path's positive balance
 *   (savings) or charged on its negative balance (credit), daily; the last one per account kind wins.
 * - market_shock: holdings' market value × (1 + percent/100), reported beside the cash forecast.
 *
 * The risk under each is the risk formula with the balance at the forecast's
 * lowest P50 and the P50 path of the first 90 days as the balance days.
 */
import type { AnomalyScore } from "./anomaly";
import { type Forecast, type ForecastInput, forecast } from "./forecast";
import type { Frequency, RecurringStream } from "./recurring";
import { type RiskScore, riskScore } from "./risk";

export type Change =
  | { type: "income_change"; percent: number }
  | { type: "new_recurring_expense"; name: string; amount: number; frequency: Exclude<Frequency, "semi_monthly">; start_date: string }
  | { type: "one_off_withdrawal"; amount: number; date: string }
  | { type: "rate_change"; account: "savings" | "credit"; annual_rate_bp: number }
  | { type: "market_shock"; percent: number };

export interface Outcome {
  forecast: Forecast;
  risk: RiskScore;
  holdings_value: number;
  end_p50: number;
}

export interface Simulation {
  baseline: Omit<Outcome, "forecast"> & { lowest: Forecast["lowest"]; probability_below_buffer: number };
  scenario: Outcome;
  changes: Change[];
  /** The balance both start from (the as-of balance). */
  starting_balance: number;
}

/** A new expense as a stream with no charges yet: its first scheduled charge is the start date. */
function syntheticStream(c: Extract<Change, { type: "new_recurring_expense" }>, currency: string, i: number): RecurringStream {
  const schedule = { frequency: c.frequency, anchor_date: c.start_date, second_day: null, anchor_first_in_month: true };
  return {
    stream_key: `what-if:${i}:${c.name}`,
    merchant_key: `what-if-${i}`,
    merchant_name: c.name,
    direction: "debit",
    currency,
    frequency: c.frequency,
    schedule,
    average_amount: c.amount,
    last_amount: c.amount,
    current_amount: c.amount,
    amount_kind: "fixed",
    first_date: c.start_date,
    last_date: c.start_date,
    predicted_next_date: c.start_date,
    status: "EARLY_DETECTION",
    is_active: true,
    transaction_ids: [],
    pending_amount: null,
    price_changes: [],
  };
}

/** The scenario's forecast input: a changed copy; `base` is not modified. */
export function applyChanges(base: ForecastInput, changes: readonly Change[]): ForecastInput {
  let streams = [...base.streams];
  const extra: { date: string; amount: number }[] = [...(base.extra_flows ?? [])];
  const rates = { savings_bp: 0, credit_bp: 0, ...base.rates };
  changes.forEach((c, i) => {
    if (c.type === "income_change")
      streams = streams.map((s) =>
        s.direction === "credit" ? { ...s, current_amount: Math.round((s.current_amount * (100 + c.percent)) / 100) } : s,
      );
    else if (c.type === "new_recurring_expense") streams.push(syntheticStream(c, base.currency, i));
    else if (c.type === "one_off_withdrawal") extra.push({ date: c.date, amount: -c.amount });
    else if (c.type === "rate_change") rates[c.account === "savings" ? "savings_bp" : "credit_bp"] = c.annual_rate_bp;
  });
  return { ...base, streams, extra_flows: extra, rates };
}

export function shockedHoldings(value: number, changes: readonly Change[]): number {
  return changes.reduce((v, c) => (c.type === "market_shock" ? Math.round((v * (100 + c.percent)) / 100) : v), value);
}

function outcome(
  input: ForecastInput,
  holdings: number,
  risk: Omit<Parameters<typeof riskScore>[0], "balance" | "daily_balances">,
): Outcome {
  const f = forecast(input);
  const p50 = f.days.slice(0, 90).map((d) => ({ day: d.date, balance: d.p50 }));
  return {
    forecast: f,
    risk: riskScore({ ...risk, balance: f.lowest?.p50 ?? input.starting_balance, daily_balances: p50 }),
    holdings_value: holdings,
    end_p50: f.days.at(-1)?.p50 ?? input.starting_balance,
  };
}

export function simulate(
  base: ForecastInput,
  changes: readonly Change[],
  holdingsValue: number,
  anomalies: readonly AnomalyScore[],
): Simulation {
  const risk = { as_of: base.as_of, currency: base.currency, transactions: base.history, anomalies };
  const b = outcome(base, holdingsValue, risk);
  const scenario = outcome(applyChanges(base, changes), shockedHoldings(holdingsValue, changes), risk);
  const { forecast: bf, ...baseline } = b;
  return {
    baseline: { ...baseline, lowest: bf.lowest, probability_below_buffer: bf.probability_below_buffer },
    scenario,
    changes: [...changes],
    starting_balance: base.starting_balance,
  };
}
