/**
 * Alerts: your open alerts (GET /v1/alerts) with their reasons, to
 * acknowledge or dismiss; your price alert rules: create one (symbol,
 * condition, value, frequency, expiry), see each rule's status, latest
 * trigger and count, delete it; and risk alerts on your brokerage accounts. Prices are shown with Intl.NumberFormat in
 * the symbol's currency; values travel as exact decimal strings.
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import type { Account, Alert, PriceAlert, RiskAlert } from "../../api/types";
import { DataTable } from "../../components/data-table";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { loadAccounts } from "../../lib/accounts";
import { formatDateTime } from "../../lib/dates";
import { formatMoney } from "../../lib/money";
import { refreshUnread } from "../../lib/unread";
import type { PageRoute } from "../../router";

type Condition = PriceAlert["condition"];
interface SymbolInfo {
  symbol: string;
  name: string;
  currency: string;
  price_precision: number;
}

const CONDITIONS: { value: Condition; label: string }[] = [
  { value: "crossing_up", label: "Crosses above" },
  { value: "crossing_down", label: "Crosses below" },
  { value: "greater_than", label: "Is above" },
  { value: "less_than", label: "Is below" },
  { value: "percent_change_up", label: "Up by % on previous close" },
  { value: "percent_change_down", label: "Down by % on previous close" },
];
const conditionLabel = (c: Condition) => CONDITIONS.find((x) => x.value === c)?.label ?? c;
const isPercent = (c: Condition) => c.startsWith("percent_change");

/** A decimal price string in the symbol's currency, at its precision (display only: the value stays a string). */
function formatPrice(value: string, s: SymbolInfo | undefined): string {
  const digits = s?.price_precision ?? 2;
  return new Intl.NumberFormat(undefined, {
    style: "currency",
    currency: s?.currency ?? "USD",
    minimumFractionDigits: digits,
    maximumFractionDigits: Math.max(digits, (value.split(".")[1] ?? "").length),
  }).format(Number(value));
}

function formatValue(r: PriceAlert, s: SymbolInfo | undefined): string {
  return isPercent(r.condition)
    ? `${new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(Number(r.value))} %`
    : formatPrice(r.value, s);
}

interface Loaded {
  alerts: Alert[];
  rules: PriceAlert[];
  symbols: SymbolInfo[];
  risks: RiskAlert[];
  brokerage: Account[];
}

async function loadAll(): Promise<Loaded> {
  const [alerts, rules, symbols, risks, accounts] = await Promise.all([
    api.GET("/v1/alerts"),
    api.GET("/v1/alerts/price", { params: { query: { limit: 100 } } }),
    api.GET("/v1/market/symbols"),
    api.GET("/v1/alerts/risk"),
    loadAccounts(),
  ]);
  return {
    alerts: unwrap(alerts).data,
    rules: unwrap(rules).data,
    symbols: unwrap(symbols).data as SymbolInfo[],
    risks: unwrap(risks).data,
    brokerage: accounts.filter((a) => a.type === "brokerage" && a.status === "open"),
  };
}

const RISK_LABEL: Record<RiskAlert["kind"], string> = {
  concentration: "Largest position at least",
  drawdown: "Account value below its peak by at least",
};

function RiskAlerts({ risks, accounts, onChange }: { risks: RiskAlert[]; accounts: Account[]; onChange: () => Promise<void> }) {
  const [error, setError] = useState<string | undefined>();
  const names = new Map(accounts.map((a) => [a.id, a]));
  const s = useSubmit(async (f) => {
    const account = accounts.find((a) => a.id === field(f, "account"));
    if (!account) throw new InputError("Choose a brokerage account");
    const threshold = field(f, "threshold") ?? "";
    if (!/^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/.test(threshold)) throw new InputError("Enter the threshold as a percent, e.g. 25");
    const kind = field(f, "kind") === "drawdown" ? "drawdown" : "concentration";
    unwrap(await api.POST("/v1/alerts/risk", { body: { account_id: account.id, kind, threshold } }));
    await onChange();
    return `Risk alert created: ${RISK_LABEL[kind].toLowerCase()} ${threshold} %.`;
  });
  const remove = async (id: string) => {
    setError(undefined);
    try {
      unwrap(await api.DELETE("/v1/alerts/risk/{id}", { params: { path: { id } } }));
      await onChange();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <section class="card" aria-labelledby="h-risk">
      <h2 id="h-risk">Risk alerts</h2>
      <p class="muted">Checked after each of your trades and each daily close of a symbol you hold; each fires at most once a day.</p>
      <ErrorNote error={error} />
      <DataTable
        caption="Your risk alert rules"
        rows={risks}
        rowKey={(r) => r.id}
        rowTestId="risk-alert-rule"
        empty="No risk alerts yet."
        columns={[
          { header: "Account", cell: (r) => names.get(r.account_id)?.name ?? r.account_id, rowHeader: true },
          { header: "Rule", cell: (r) => `${RISK_LABEL[r.kind]} ${r.threshold} %` },
          {
            header: "Peak value",
            cell: (r) => formatMoney(r.peak_value, names.get(r.account_id)?.currency ?? "USD"),
            num: true,
          },
          { header: "Last triggered", cell: (r) => r.last_triggered_day ?? "—" },
          { header: "Count", cell: (r) => r.trigger_count, num: true },
          {
            header: "Actions",
            cell: (r) => (
              <button
                type="button"
                class="danger"
                onClick={() => void remove(r.id)}
                aria-label={`Delete the ${r.kind} alert at ${r.threshold} %`}
              >
                Delete
              </button>
            ),
          },
        ]}
      />
      {accounts.length === 0 ? (
        <p class="muted">Open a brokerage account to set risk alerts.</p>
      ) : (
        <form onSubmit={s.onSubmit} aria-labelledby="h-risk-form" data-testid="risk-alert-form">
          <h3 id="h-risk-form">New risk alert</h3>
          <div class="form-row">
            <label>
              Brokerage account
              <select name="account">
                {accounts.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Kind
              <select name="kind" defaultValue="concentration">
                <option value="concentration">Concentration (largest position's share)</option>
                <option value="drawdown">Drawdown (below the peak)</option>
              </select>
            </label>
            <label>
              Threshold (percent)
              <input name="threshold" inputMode="decimal" required maxLength={16} />
            </label>
          </div>
          <FormStatus s={s} />
          <button type="submit" disabled={s.busy}>
            Create risk alert
          </button>
        </form>
      )}
    </section>
  );
}

function OpenAlerts({ alerts, onChange }: { alerts: Alert[]; onChange: () => Promise<void> }) {
  const [error, setError] = useState<string | undefined>();
  const act = async (id: string, action: "acknowledge" | "dismiss") => {
    setError(undefined);
    try {
      if (action === "acknowledge") unwrap(await api.POST("/v1/alerts/{id}/acknowledge", { params: { path: { id } }, body: {} }));
      else unwrap(await api.POST("/v1/alerts/{id}/dismiss", { params: { path: { id } }, body: {} }));
      await Promise.all([onChange(), refreshUnread()]);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <section class="card" aria-labelledby="h-open-alerts">
      <h2 id="h-open-alerts">Open alerts</h2>
      <ErrorNote error={error} />
      {alerts.length === 0 ? (
        <p class="muted">No open alerts.</p>
      ) : (
        <ul class="inbox-list" data-testid="open-alerts">
          {alerts.map((a) => (
            <li key={a.id} class={a.status === "open" ? "inbox-item unread" : "inbox-item"} data-testid="open-alert" data-id={a.id}>
              <div class="inbox-head">
                <strong>{a.title}</strong>
                <span class="tag" data-testid="alert-status">
                  {a.status}
                </span>
              </div>
              <ul data-testid="alert-reasons">
                {a.reasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
              <p class="muted">
                <time dateTime={a.created_at}>{formatDateTime(a.created_at)}</time>
              </p>
              <span class="actions">
                {a.status === "open" && (
                  <button
                    type="button"
                    class="secondary"
                    onClick={() => void act(a.id, "acknowledge")}
                    aria-label={`Acknowledge: ${a.title}`}
                  >
                    Acknowledge
                  </button>
                )}
                <button type="button" class="secondary" onClick={() => void act(a.id, "dismiss")} aria-label={`Dismiss: ${a.title}`}>
                  Dismiss
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RuleForm({ symbols, onDone }: { symbols: SymbolInfo[]; onDone: () => Promise<void> }) {
  const [condition, setCondition] = useState<Condition>("crossing_up");
  const s = useSubmit(async (f) => {
    const symbol = symbols.find((x) => x.symbol === field(f, "symbol"));
    if (!symbol) throw new InputError("Choose a symbol");
    const value = field(f, "value") ?? "";
    if (!/^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(value)) throw new InputError("Enter the value as a plain decimal number, e.g. 150.25");
    const frequency = field(f, "frequency") === "every_time" ? "every_time" : "once";
    const expires = field(f, "expires_at");
    const body = {
      symbol: symbol.symbol,
      condition,
      value,
      frequency,
      ...(expires ? { expires_at: new Date(expires).toISOString() } : {}),
    } as const;
    const r = unwrap(await api.POST("/v1/alerts/price", { body }));
    await onDone();
    return `Alert created: ${r.symbol} ${conditionLabel(r.condition).toLowerCase()} ${formatValue(r, symbol)}.`;
  });
  const percent = isPercent(condition);
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-rule-form" data-testid="price-alert-form">
      <h2 id="h-rule-form">New price alert</h2>
      <div class="form-row">
        <label>
          Symbol
          <select name="symbol" required>
            {symbols.map((x) => (
              <option key={x.symbol} value={x.symbol}>
                {x.symbol} · {x.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Condition
          <select name="condition" value={condition} onChange={(e) => setCondition(e.currentTarget.value as Condition)}>
            {CONDITIONS.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {percent ? "Percent (5 = 5 %)" : "Price"}
          <input name="value" inputMode="decimal" required maxLength={32} />
        </label>
        <label>
          Frequency
          <select name="frequency" defaultValue="once">
            <option value="once">Once</option>
            <option value="every_time">Every time (at most once a minute)</option>
          </select>
        </label>
        <label>
          Expires (optional)
          <input name="expires_at" type="datetime-local" />
        </label>
      </div>
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy}>
        Create alert
      </button>
    </form>
  );
}

function Rules({ rules, symbols, onChange }: { rules: PriceAlert[]; symbols: SymbolInfo[]; onChange: () => Promise<void> }) {
  const [error, setError] = useState<string | undefined>();
  const bySymbol = new Map(symbols.map((x) => [x.symbol, x]));
  const remove = async (id: string) => {
    setError(undefined);
    try {
      unwrap(await api.DELETE("/v1/alerts/price/{id}", { params: { path: { id } } }));
      await onChange();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <section class="card" aria-labelledby="h-rules">
      <h2 id="h-rules">Price alert rules</h2>
      <ErrorNote error={error} />
      <DataTable
        caption="Your price alert rules"
        rows={rules}
        rowKey={(r) => r.id}
        rowTestId="price-alert-rule"
        empty="No price alerts yet."
        columns={[
          { header: "Symbol", cell: (r) => r.symbol, rowHeader: true },
          { header: "Condition", cell: (r) => conditionLabel(r.condition) },
          { header: "Value", cell: (r) => formatValue(r, bySymbol.get(r.symbol)), num: true, testId: "rule-value" },
          { header: "Frequency", cell: (r) => (r.frequency === "once" ? "Once" : "Every time") },
          { header: "Status", cell: (r) => r.status, testId: "rule-status" },
          { header: "Triggered", cell: (r) => (r.triggered_at ? formatDateTime(r.triggered_at) : "—"), testId: "rule-triggered" },
          { header: "Count", cell: (r) => r.trigger_count, num: true, testId: "rule-count" },
          { header: "Expires", cell: (r) => (r.expires_at ? formatDateTime(r.expires_at) : "never") },
          {
            header: "Actions",
            cell: (r) => (
              <button
                type="button"
                class="danger"
                onClick={() => void remove(r.id)}
                aria-label={`Delete the ${r.symbol} ${conditionLabel(r.condition).toLowerCase()} alert`}
              >
                Delete
              </button>
            ),
          },
        ]}
      />
    </section>
  );
}

function AlertsPage() {
  const { data, error, loading, reload } = useData(loadAll, [], { pollMs: 5_000 });
  if (loading && !data) return <Loading what="Loading alerts" />;
  if (!data) return <ErrorNote error={error} />;
  return (
    <>
      <h1>Alerts</h1>
      <ErrorNote error={error} />
      <OpenAlerts alerts={data.alerts} onChange={reload} />
      <Rules rules={data.rules} symbols={data.symbols} onChange={reload} />
      <RuleForm symbols={data.symbols} onDone={reload} />
      <RiskAlerts risks={data.risks} accounts={data.brokerage} onChange={reload} />
    </>
  );
}

export const route: PageRoute = {
  path: "/alerts",
  title: "Alerts",
  access: "user",
  nav: { label: "Alerts", order: 47 },
  component: AlertsPage,
};
