/** Price alert rules: the list with status, latest trigger and count; edit (rule-form.tsx) and delete. */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { PriceAlert } from "../../api/types";
import { DataTable } from "../../components/data-table";
import { useAction } from "../../components/use-action";
import { ErrorNote } from "../../components/status";
import { formatDateTime } from "../../lib/dates";
import { conditionLabel, formatValue, type SymbolInfo } from "./format";

interface Props {
  rules: PriceAlert[];
  symbols: SymbolInfo[];
  onChange: () => Promise<void>;
  onEdit: (rule: PriceAlert) => void;
}

export function Rules({ rules, symbols, onChange, onEdit }: Props) {
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
              <span class="actions">
                <button
                  type="button"
                  class="secondary"
                  onClick={() => onEdit(r)}
                  aria-label={`Edit the ${r.symbol} ${conditionLabel(r.condition).toLowerCase()} alert`}
                >
                  Edit
                </button>
                <button
                  type="button"
                  class="danger"
                  onClick={() => void remove(r.id)}
                  aria-label={`Delete the ${r.symbol} ${conditionLabel(r.condition).toLowerCase()} alert`}
                >
                  Delete
                </button>
              </span>
            ),
          },
        ]}
      />
    </section>
  );
}
