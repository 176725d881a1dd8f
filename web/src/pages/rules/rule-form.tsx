/**
 * The new-rule form of the Rules page: stage, up to three conditions
 * (merchant, description, amount in minor units, account), actions (category,
 * merchant, tags). "Preview" shows what the rule would change with your other
 * rules (POST /v1/rules/preview, nothing saved); "Create rule" saves it.
 */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { Account, CreateRule, RulePreview } from "../../api/types";
import { DataTable } from "../../components/data-table";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { Money } from "../../components/money";
import { formatDate } from "../../lib/dates";

type Condition = CreateRule["conditions"][number];
const FIELDS = ["merchant", "description", "amount", "account"] as const;
const OPS: Record<(typeof FIELDS)[number], string[]> = {
  merchant: ["is", "contains", "one_of"],
  description: ["is", "contains"],
  amount: ["is", "gt", "gte", "lt", "lte"],
  account: ["is", "one_of"],
};
const ROWS = [0, 1, 2];
const list = (s: string) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);

function conditionAt(f: FormData, i: number): Condition | null {
  const value = field(f, `value${i}`);
  if (!value) return null;
  const fieldName = (field(f, `field${i}`) ?? "merchant") as (typeof FIELDS)[number];
  const op = field(f, `op${i}`) ?? "is";
  if (!OPS[fieldName].includes(op)) throw new InputError(`Condition ${i + 1}: ${fieldName} cannot use "${op}"`);
  if (fieldName === "amount") {
    if (!/^\d+$/.test(value)) throw new InputError(`Condition ${i + 1}: the amount is a whole number of minor units`);
    return { field: "amount", op, value: Number(value) } as Condition;
  }
  return { field: fieldName, op, value: op === "one_of" ? list(value) : value } as Condition;
}

export function ruleBody(f: FormData): CreateRule {
  const conditions = ROWS.map((i) => conditionAt(f, i)).filter((c): c is Condition => c !== null);
  if (conditions.length === 0) throw new InputError("Give at least one condition a value");
  const category = field(f, "category");
  const merchant = field(f, "merchant");
  const tags = list(field(f, "tags") ?? "");
  if (!category && !merchant && tags.length === 0) throw new InputError("Set a category, a merchant or tags");
  return {
    stage: (field(f, "stage") ?? "default") as CreateRule["stage"],
    conditions,
    actions: { ...(category ? { category } : {}), ...(merchant ? { merchant } : {}), ...(tags.length ? { tags } : {}) },
    enabled: true,
    source: "user",
  };
}

function Preview({ preview }: { preview: RulePreview }) {
  return (
    <DataTable
      caption={`Preview: ${preview.matched} matching transaction${preview.matched === 1 ? "" : "s"}`}
      rows={preview.data}
      rowKey={(t) => t.id}
      rowTestId="preview-row"
      empty="No transaction matches."
      columns={[
        { header: "Date", cell: (t) => formatDate(t.occurred_at), rowHeader: true },
        { header: "Merchant", cell: (t) => t.merchant ?? "" },
        { header: "Amount", cell: (t) => <Money amount={t.amount} currency={t.currency} />, num: true },
        { header: "Category", cell: (t) => t.category },
        {
          header: "After",
          testId: "preview-after",
          cell: (t) =>
            `${t.after.category}${t.after.merchant ? ` · ${t.after.merchant}` : ""}${t.after.tags.length ? ` · ${t.after.tags.join(", ")}` : ""}`,
        },
      ]}
    />
  );
}

export function RuleForm({ accounts, onCreated }: { accounts: Account[]; onCreated: () => void }) {
  const [preview, setPreview] = useState<RulePreview | null>(null);
  const s = useSubmit(async (f, _key, form) => {
    const body = ruleBody(f);
    if (f.get("action") === "preview") {
      const p = unwrap(await api.POST("/v1/rules/preview", { body }));
      setPreview(p);
      return `${p.matched} matching`;
    }
    unwrap(await api.POST("/v1/rules", { body }));
    form.reset();
    setPreview(null);
    onCreated();
    return "Rule created";
  });
  return (
    <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-rule-form" data-testid="rule-form">
      <h2 id="h-rule-form">New rule</h2>
      <label>
        Stage
        <select name="stage">
          <option value="pre">pre</option>
          <option value="default" selected>
            default
          </option>
          <option value="post">post</option>
        </select>
      </label>
      <fieldset>
        <legend>Conditions (all must hold; empty rows are ignored)</legend>
        {ROWS.map((i) => (
          <div class="form-row" key={i}>
            <label>
              Field {i + 1}
              <select name={`field${i}`}>
                {FIELDS.map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Operator {i + 1}
              <select name={`op${i}`}>
                {["is", "contains", "one_of", "gt", "gte", "lt", "lte"].map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Value {i + 1}
              <input name={`value${i}`} maxLength={200} list={`rule-accounts`} />
            </label>
          </div>
        ))}
        <datalist id="rule-accounts">
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </datalist>
        <p class="muted">
          merchant is / one of: the merchant key from the Merchants page (e.g. blue-bottle); amount in minor units (cents); lists are
          comma-separated.
        </p>
      </fieldset>
      <fieldset>
        <legend>Actions</legend>
        <div class="form-row">
          <label>
            Category
            <input name="category" maxLength={50} placeholder="coffee" />
          </label>
          <label>
            Merchant
            <input name="merchant" maxLength={200} />
          </label>
          <label>
            Tags
            <input name="tags" maxLength={500} placeholder="work, travel" />
          </label>
        </div>
      </fieldset>
      <FormStatus s={s} />
      <span class="actions">
        <button type="submit" name="action" value="preview" class="secondary" disabled={s.busy}>
          Preview
        </button>
        <button type="submit" name="action" value="create" disabled={s.busy}>
          Create rule
        </button>
      </span>
      {preview && <Preview preview={preview} />}
    </form>
  );
}
