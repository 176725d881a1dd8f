/** The payees section: link an external account (shown masked), and delete one. */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import type { Payee } from "../../api/types";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";

export function Payees({ payees, onChange }: { payees: Payee[]; onChange: () => void }) {
  const [error, setError] = useState<string | undefined>();
  const s = useSubmit(async (f, _key, form) => {
    const name = field(f, "payee_name");
    const ref = field(f, "account_ref");
    if (!name || !ref) throw new InputError("Enter the payee's name and account number");
    const p = unwrap(await api.POST("/v1/payees", { body: { name, account_ref: ref } }));
    form.reset();
    onChange();
    return `Payee ${p.name} (${p.account_ref_masked}) added.`;
  });
  const remove = async (id: string) => {
    setError(undefined);
    try {
      unwrap(await api.DELETE("/v1/payees/{id}", { params: { path: { id } } }));
      onChange();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <section class="card" aria-labelledby="h-payees">
      <h2 id="h-payees">Payees</h2>
      {payees.length === 0 ? (
        <p class="muted">No payees yet.</p>
      ) : (
        <ul data-testid="payee-list">
          {payees.map((p) => (
            <li key={p.id}>
              {p.name} <span class="muted">{p.account_ref_masked}</span>{" "}
              <button type="button" class="secondary" onClick={() => void remove(p.id)} aria-label={`Delete payee ${p.name}`}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <form onSubmit={s.onSubmit} aria-label="Add a payee">
        <div class="form-row">
          <label>
            Payee name
            <input name="payee_name" required maxLength={100} autoComplete="off" />
          </label>
          <label>
            Account number or IBAN
            <input name="account_ref" required maxLength={50} autoComplete="off" />
          </label>
        </div>
        <FormStatus s={s} />
        <button type="submit" disabled={s.busy}>
          Add payee
        </button>
      </form>
    </section>
  );
}
