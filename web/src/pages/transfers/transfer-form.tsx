/** A new transfer from one of your accounts to another of yours or to any account id: immediate, or pending (a hold to post or void). */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { Account } from "../../api/types";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { formatMoney, parseAmount } from "../../lib/money";

const OTHER = "other";

export function TransferForm({ accounts, onDone }: { accounts: Account[]; onDone: () => void }) {
  const open = accounts.filter((a) => a.status === "open");
  const [to, setTo] = useState(open[1]?.id ?? OTHER);
  const s = useSubmit(async (f, key, form) => {
    const from = open.find((a) => a.id === field(f, "from"));
    if (!from) throw new InputError("Choose the account to send from");
    const toId = to === OTHER ? field(f, "to_id") : to;
    if (!toId) throw new InputError("Enter the destination account id");
    const amount = parseAmount(field(f, "amount") ?? "", from.currency);
    if (amount === null) throw new InputError(`Enter a positive amount in ${from.currency}`);
    const mode = field(f, "mode") === "pending" ? "pending" : "immediate";
    const description = field(f, "description");
    const t = unwrap(
      await api.POST("/v1/transfers", {
        params: { header: { "idempotency-key": key } },
        body: { from_account_id: from.id, to_account_id: toId, amount, mode, ...(description && { description }) },
      }),
    );
    form.reset();
    onDone();
    return `Transfer of ${formatMoney(t.amount, t.currency)} ${t.status === "pending" ? "is pending: post or void it below" : t.status}.`;
  });
  if (open.length === 0) return <p class="muted">Open an account first.</p>;
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-new-transfer">
      <h2 id="h-new-transfer">New transfer</h2>
      <div class="form-row">
        <label>
          From
          <select name="from">
            {open.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name} ({formatMoney(a.balance.available, a.currency)} available)
              </option>
            ))}
          </select>
        </label>
        <label>
          To
          <select name="to" value={to} onChange={(e) => setTo(e.currentTarget.value)}>
            {open.map((a) => (
              <option key={a.id} value={a.id}>
                {a.name}
              </option>
            ))}
            <option value={OTHER}>Another account (by id)</option>
          </select>
        </label>
        {to === OTHER && (
          <label>
            Destination account id
            <input name="to_id" required pattern="acc_[0-9a-z]+" placeholder="acc_…" autoComplete="off" />
          </label>
        )}
        <label>
          Amount
          <input name="amount" inputMode="decimal" required autoComplete="off" />
        </label>
        <label>
          Description
          <input name="description" maxLength={200} />
        </label>
      </div>
      <fieldset class="choices">
        <legend>When</legend>
        <label>
          <input type="radio" name="mode" value="immediate" defaultChecked /> Now
        </label>
        <label>
          <input type="radio" name="mode" value="pending" /> Pending (hold now, post or void later)
        </label>
      </fieldset>
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy}>
        Send transfer
      </button>
    </form>
  );
}
