/** Risk alert rules on the brokerage accounts: list with peak and triggers, create, delete. */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { Account, RiskAlert } from "../../api/types";
import { DataTable } from "../../components/data-table";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { useAction } from "../../components/use-action";
import { ErrorNote } from "../../components/status";
import { formatMoney } from "../../lib/money";

const RISK_LABEL: Record<RiskAlert["kind"], string> = {
  concentration: "Largest position at least",
  drawdown: "Account value below its peak by at least",
};

export function RiskAlerts({ risks, accounts, onChange }: { risks: RiskAlert[]; accounts: Account[]; onChange: () => Promise<void> }) {
  const { error, run } = useAction();
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
  const remove = (id: string) =>
    run(async () => {
      unwrap(await api.DELETE("/v1/alerts/risk/{id}", { params: { path: { id } } }));
      await onChange();
    });
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
