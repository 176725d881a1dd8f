/**
 * Alerts: your open alerts (GET /v1/alerts) with their reasons, to
 * acknowledge or dismiss (open-alerts.tsx); your price alert rules: create one
 * (symbol, condition, value, frequency, expiry), see each rule's status,
 * latest trigger and count, edit it (the form prefilled; saving re-arms it)
 * or delete it (price-rules.tsx, rule-form.tsx); and risk alerts on
 * your brokerage accounts (risk-alerts.tsx). Prices are shown with
 * Intl.NumberFormat in the symbol's currency; values travel as exact decimal
 * strings.
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { Account, Alert, PriceAlert, RiskAlert } from "../../api/types";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { loadAccounts } from "../../lib/accounts";
import type { PageRoute } from "../../router";
import type { SymbolInfo } from "./format";
import { OpenAlerts } from "./open-alerts";
import { Rules } from "./price-rules";
import { RuleForm } from "./rule-form";
import { RiskAlerts } from "./risk-alerts";

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

function AlertsPage() {
  const { data, error, loading, reload } = useData(loadAll, [], { pollMs: 5_000 });
  const [editing, setEditing] = useState<PriceAlert | null>(null);
  if (loading && !data) return <Loading what="Loading alerts" />;
  if (!data) return <ErrorNote error={error} />;
  return (
    <>
      <h1>Alerts</h1>
      <ErrorNote error={error} />
      <OpenAlerts alerts={data.alerts} onChange={reload} />
      <Rules rules={data.rules} symbols={data.symbols} onChange={reload} onEdit={setEditing} />
      {editing ? (
        <RuleForm key={editing.id} symbols={data.symbols} editing={editing} onDone={reload} onCancel={() => setEditing(null)} />
      ) : (
        <RuleForm symbols={data.symbols} onDone={reload} />
      )}
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
