/**
 * Insights: the health score with its four pillars and the risk score with
 * its drivers (each with its reason as the API gives it), the 90-day balance
 * forecast as P10/P50/P90 lines (uPlot), and a what-if form that runs a
 * simulation (POST /v1/simulations) on a copy of your state, never your
 * accounts; and the digest (digest-card.tsx).
 */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { components } from "../../api/schema";
import { Chart } from "../../components/chart";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { DigestCard } from "./digest-card";
import { formatAxis, formatMoney, parseAmount, toMajorNumber } from "../../lib/money";
import type { PageRoute } from "../../router";

type Forecast = components["schemas"]["Forecast"];
type Change = components["schemas"]["SimulationChange"];

async function load() {
  const [health, risk, forecast] = await Promise.all([
    api.GET("/v1/insights/health", {}).then(unwrap),
    api.GET("/v1/insights/risk", {}).then(unwrap),
    api.GET("/v1/forecast", { params: { query: { horizon_days: 90 } } }).then(unwrap),
  ]);
  return { health, risk, forecast };
}

function ForecastChart({ f }: { f: Forecast }) {
  const x = f.days.map((d) => Date.parse(`${d.date}T00:00:00Z`) / 1000);
  const major = (v: number) => toMajorNumber(v, f.currency);
  return (
    <div data-testid="forecast-chart">
      <Chart
        kind="line"
        label={`Forecast balance in ${f.currency} for ${f.horizon_days} days after ${f.as_of}: 10th, 50th and 90th percentiles`}
        x={x}
        series={[
          { label: "P10", values: f.days.map((d) => major(d.p10)) },
          { label: "P50", values: f.days.map((d) => major(d.p50)) },
          { label: "P90", values: f.days.map((d) => major(d.p90)) },
        ]}
        yFormat={(v) => formatAxis(v, f.currency)}
      />
      <p data-testid="forecast-low">
        {f.lowest ? `Lowest expected balance ${formatMoney(f.lowest.p50, f.currency)} on ${f.lowest.date}.` : "No forecast yet."}
      </p>
    </div>
  );
}

function WhatIf({ currency }: { currency: Forecast["currency"] }) {
  const s = useSubmit(async (form) => {
    const kind = field(form, "kind");
    const value = field(form, "value") ?? "";
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    let change: Change;
    if (kind === "income_change") {
      const percent = Number(value);
      if (!Number.isFinite(percent) || percent < -100 || percent > 1000) throw new InputError("Enter a percent from -100 to 1000");
      change = { type: "income_change", percent };
    } else {
      const amount = parseAmount(value, currency);
      if (amount === null) throw new InputError(`Enter a positive amount in ${currency}`);
      change =
        kind === "new_recurring_expense"
          ? { type: "new_recurring_expense", name: "New expense", amount, frequency: "monthly", start_date: tomorrow }
          : { type: "one_off_withdrawal", amount, date: tomorrow };
    }
    const r = unwrap(
      await api.POST("/v1/simulations", { body: { changes: [change], currency, horizon_days: 90, buffer: 0, save: false } }),
    );
    return `In 90 days: ${formatMoney(r.scenario.end_p50, currency)} instead of ${formatMoney(r.baseline.end_p50, currency)}; risk ${r.scenario.risk.score} (${r.scenario.risk.level}) instead of ${r.baseline.risk.score}.`;
  });
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-whatif" data-testid="what-if">
      <h2 id="h-whatif">What if…</h2>
      <div class="form-row">
        <label>
          Change
          <select name="kind">
            <option value="one_off_withdrawal">A one-off withdrawal tomorrow (amount)</option>
            <option value="new_recurring_expense">A new monthly expense (amount)</option>
            <option value="income_change">My income changes (percent)</option>
          </select>
        </label>
        <label>
          Value
          <input name="value" inputMode="decimal" required />
        </label>
        <button type="submit" disabled={s.busy}>
          Simulate
        </button>
      </div>
      <FormStatus s={s} />
    </form>
  );
}

function InsightsPage() {
  const { data, error, loading } = useData(load, []);
  if (loading && !data) return <Loading what="Loading your insights" />;
  if (!data) return <ErrorNote error={error} />;
  const { health, risk, forecast } = data;
  return (
    <>
      <h1>Insights</h1>
      <section class="card" aria-labelledby="h-health">
        <h2 id="h-health">Health score</h2>
        <p data-testid="health-score">
          <strong>{health.score}</strong> of 100 <span class="muted">({health.version})</span>
        </p>
        <ul>
          {health.drivers.map((p) => (
            <li key={p.pillar}>
              {p.pillar.replaceAll("_", " ")}: {p.score} — {p.reason}
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="h-risk">
        <h2 id="h-risk">Risk score</h2>
        <p data-testid="risk-score">
          <strong>{risk.score}</strong> ({risk.level}) <span class="muted">({risk.version})</span>
        </p>
        <ul>
          {risk.drivers.map((d) => (
            <li key={d.driver}>
              {d.driver.replaceAll("_", " ")}: {d.points} points — {d.reason}
            </li>
          ))}
        </ul>
      </section>
      <section class="card" aria-labelledby="h-forecast">
        <h2 id="h-forecast">Balance forecast</h2>
        <ForecastChart f={forecast} />
      </section>
      <WhatIf currency={forecast.currency} />
      <DigestCard />
    </>
  );
}

export const route: PageRoute = {
  path: "/insights",
  title: "Insights",
  access: "user",
  nav: { label: "Insights", order: 35 },
  component: InsightsPage,
};
