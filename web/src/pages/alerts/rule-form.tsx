/**
 * The price alert form: a new rule (POST /v1/alerts/price), or, given a rule,
 * its edit (PATCH /v1/alerts/price/{id}: condition, value, frequency and
 * expiry; the symbol stays), prefilled from it. Saving an edit re-arms the
 * rule; a refused value shows the API's error envelope message.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { PriceAlert } from "../../api/types";
import { field, InputError, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { CONDITIONS, type Condition, conditionLabel, formatValue, isPercent, type SymbolInfo } from "./format";

/** An RFC 3339 instant as a datetime-local value in this browser's time zone ("2026-12-03T18:30"). */
function localInput(iso: string | null): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

type Frequency = PriceAlert["frequency"];

interface Props {
  symbols: SymbolInfo[];
  /** The rule being edited; none: a new rule. */
  editing?: PriceAlert | null;
  onDone: () => Promise<void>;
  onCancel?: () => void;
}

export function RuleForm({ symbols, editing, onDone, onCancel }: Props) {
  const [condition, setCondition] = useState<Condition>(editing?.condition ?? "crossing_up");
  const [frequency, setFrequency] = useState<Frequency>(editing?.frequency ?? "once");
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (editing) form.current?.querySelector<HTMLElement>("select[name=condition]")?.focus();
  }, [editing]);
  const s = useSubmit(async (f) => {
    const symbol = symbols.find((x) => x.symbol === (editing?.symbol ?? field(f, "symbol")));
    if (!symbol) throw new InputError("Choose a symbol");
    const value = field(f, "value") ?? "";
    if (!/^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(value)) throw new InputError("Enter the value as a plain decimal number, e.g. 150.25");
    const expires = field(f, "expires_at");
    const expiresAt = expires ? new Date(expires).toISOString() : null;
    if (editing) {
      const r = unwrap(
        await api.PATCH("/v1/alerts/price/{id}", {
          params: { path: { id: editing.id } },
          body: { condition, value, frequency, expires_at: expiresAt },
        }),
      );
      await onDone();
      return `Alert saved and armed: ${r.symbol} ${conditionLabel(r.condition).toLowerCase()} ${formatValue(r, symbol)}.`;
    }
    const body = { symbol: symbol.symbol, condition, value, frequency, ...(expiresAt ? { expires_at: expiresAt } : {}) } as const;
    const r = unwrap(await api.POST("/v1/alerts/price", { body }));
    await onDone();
    return `Alert created: ${r.symbol} ${conditionLabel(r.condition).toLowerCase()} ${formatValue(r, symbol)}.`;
  });
  const percent = isPercent(condition);
  const heading = editing ? `Edit the ${editing.symbol} alert` : "New price alert";
  return (
    <form
      ref={form}
      class="card"
      onSubmit={s.onSubmit}
      aria-labelledby="h-rule-form"
      data-testid={editing ? "price-alert-edit" : "price-alert-form"}
    >
      <h2 id="h-rule-form">{heading}</h2>
      <div class="form-row">
        <label>
          Symbol
          <select name="symbol" required disabled={!!editing} value={editing?.symbol}>
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
          <input name="value" inputMode="decimal" required maxLength={32} defaultValue={editing?.value} />
        </label>
        <label>
          Frequency
          <select name="frequency" value={frequency} onChange={(e) => setFrequency(e.currentTarget.value as Frequency)}>
            <option value="once">Once</option>
            <option value="every_time">Every time (at most once a minute)</option>
          </select>
        </label>
        <label>
          Expires (optional)
          <input name="expires_at" type="datetime-local" defaultValue={localInput(editing?.expires_at ?? null)} />
        </label>
      </div>
      <FormStatus s={s} />
      <div class="actions">
        <button type="submit" disabled={s.busy}>
          {editing ? "Save and re-arm" : "Create alert"}
        </button>
        {editing && onCancel && (
          <button type="button" class="secondary" onClick={onCancel}>
            {s.done ? "Close" : "Cancel edit"}
          </button>
        )}
      </div>
    </form>
  );
}
