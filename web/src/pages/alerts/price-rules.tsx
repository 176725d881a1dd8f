/** Price alert rules: the create form and the list with status, latest trigger and count, delete. */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { PriceAlert } from "../../api/types";
import { DataTable } from "../../components/data-table";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { useAction } from "../../components/use-action";
import { ErrorNote } from "../../components/status";
import { formatDateTime } from "../../lib/dates";
import { CONDITIONS, conditionLabel, formatValue, isPercent, type Condition, type SymbolInfo } from "./format";

export function RuleForm({ symbols, onDone }: { symbols: SymbolInfo[]; onDone: () => Promise<void> }) {
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

export function Rules({ rules, symbols, onChange }: { rules: PriceAlert[]; symbols: SymbolInfo[]; onChange: () => Promise<void> }) {
  const { error, run } = useAction();
  const bySymbol = new Map(symbols.map((x) => [x.symbol, x]));
  const remove = (id: string) =>
    run(async () => {
      unwrap(await api.DELETE("/v1/alerts/price/{id}", { params: { path: { id } } }));
      await onChange();
    });
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
