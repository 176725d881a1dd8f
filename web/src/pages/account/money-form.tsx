/**
 * Deposit, withdrawal and purchase on one account. The amount is typed in
 * major units and converted exactly to minor units with the currency's digits
 * (lib/money.ts parseAmount); each submit carries its own Idempotency-Key.
 */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { Account } from "../../api/types";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { formatMoney, minorDigits, parseAmount } from "../../lib/money";

const KINDS = [
  { value: "deposit", label: "Deposit" },
  { value: "withdrawal", label: "Withdrawal" },
  { value: "purchase", label: "Purchase" },
] as const;

export function MoneyForm({ account, onDone }: { account: Account; onDone: () => void }) {
  const digits = minorDigits(account.currency);
  const s = useSubmit(async (f, key, form) => {
    const kind = (field(f, "kind") ?? "deposit") as (typeof KINDS)[number]["value"];
    const amount = parseAmount(field(f, "amount") ?? "", account.currency);
    if (amount === null)
      throw new InputError(
        `Enter a positive amount with at most ${digits} decimal${digits === 1 ? "" : "s"}, e.g. ${digits ? `12.${"5".padEnd(digits, "0")}` : "12"}`,
      );
    const description = field(f, "description");
    const merchant = kind === "purchase" ? field(f, "merchant") : undefined;
    const category = kind === "purchase" ? field(f, "category") : undefined;
    const body = { kind, amount, ...(description && { description }), ...(merchant && { merchant }), ...(category && { category }) };
    const tx = unwrap(
      await api.POST("/v1/accounts/{id}/transactions", {
        params: { path: { id: account.id }, header: { "idempotency-key": key } },
        body,
      }),
    );
    form.reset();
    onDone();
    return `${KINDS.find((k) => k.value === kind)!.label} of ${formatMoney(tx.amount, tx.currency)} recorded.`;
  });
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-money" data-testid="money-form">
      <h2 id="h-money">Deposit, withdraw or buy</h2>
      <div class="form-row">
        <label>
          Kind
          <select name="kind">
            {KINDS.map((k) => (
              <option key={k.value} value={k.value}>
                {k.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Amount ({account.currency})
          <input name="amount" inputMode="decimal" required autoComplete="off" aria-describedby="amount-hint" />
        </label>
        <label>
          Description
          <input name="description" maxLength={200} />
        </label>
        <label>
          Merchant (purchases)
          <input name="merchant" maxLength={200} />
        </label>
        <label>
          Category (purchases)
          <input name="category" maxLength={64} />
        </label>
      </div>
      <p id="amount-hint" class="muted small">
        In {account.currency}, up to {digits} decimal{digits === 1 ? "" : "s"}.
      </p>
      <FormStatus s={s} />
      <button type="submit" disabled={s.busy || account.status !== "open"}>
        Record
      </button>
    </form>
  );
}
