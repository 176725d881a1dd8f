/**
 * Cashback estimates (issue 12, "Cashback"): rules per account, each scoped
 * to a merchant entity, a category, the quarter's rotating categories or
 * every purchase; a rate in basis points up to a cap per period (month or
 * quarter), then a fallback rate; a validity window. A purchase earns under
 * its most specific matching rule (merchant, else category or rotating, else
 * all; the highest rate breaks a tie, then the rule id). A refund earns the
 * negative of its amount at the rule's base rate; a reversal cancels exactly
 * what the entry it reverses earned. Integer minor units, rounded down per
 * entry (BigInt, so no amount overflows). Pure and deterministic: the same
 * entries and rules always give the same estimate.
 */

export type CashbackScope = "merchant" | "category" | "rotating" | "all";

export interface CashbackRule {
  id: string;
  account_id: string;
  scope: CashbackScope;
  /** merchant: a merchant key; category: a flat category key; otherwise null. */
  scope_value: string | null;
  rate_bps: number;
  /** Cashback per period at rate_bps, minor units; null = no cap. */
  cap: number | null;
  cap_period: "month" | "quarter";
  /** Rate once the period's cap is reached (0 = nothing). */
  fallback_bps: number;
  /** Inclusive UTC days; valid_to null = open-ended. */
  valid_from: string;
  valid_to: string | null;
  /** rotating: quarter ("2026-Q4") → the categories that earn in it. */
  rotating: Record<string, string[]>;
}

export interface CashbackEntry {
  id: string;
  account_id: string;
  occurred_at: string;
  kind: string;
  reverses_kind: string | null;
  reverses_entry_id: string | null;
  amount: number;
  currency: string;
  merchant_key: string;
  category: string;
}

export interface CashbackLine {
  rule_id: string;
  currency: string;
  purchases: number;
  earned: number;
  reversed: number;
  net: number;
}

const SPECIFICITY: Record<CashbackScope, number> = { merchant: 3, category: 2, rotating: 2, all: 1 };

export const quarterOf = (day: string): string => `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`;

/** The period key a cap counts in: "2026-11" or "2026-Q4". */
const periodOf = (rule: CashbackRule, day: string) => (rule.cap_period === "quarter" ? quarterOf(day) : day.slice(0, 7));

export function ruleMatches(
  rule: CashbackRule,
  e: Pick<CashbackEntry, "account_id" | "occurred_at" | "merchant_key" | "category">,
): boolean {
  const day = e.occurred_at.slice(0, 10);
  if (rule.account_id !== e.account_id || day < rule.valid_from || (rule.valid_to !== null && day > rule.valid_to)) return false;
  switch (rule.scope) {
    case "merchant":
      return e.merchant_key === rule.scope_value;
    case "category":
      return e.category === rule.scope_value;
    case "rotating":
      return (rule.rotating[quarterOf(day)] ?? []).includes(e.category);
    default:
      return true;
  }
}

export function bestRule(rules: readonly CashbackRule[], e: CashbackEntry): CashbackRule | null {
  let best: CashbackRule | null = null;
  for (const r of rules) {
    if (!ruleMatches(r, e)) continue;
    if (
      !best ||
      SPECIFICITY[r.scope] > SPECIFICITY[best.scope] ||
      (SPECIFICITY[r.scope] === SPECIFICITY[best.scope] && (r.rate_bps > best.rate_bps || (r.rate_bps === best.rate_bps && r.id < best.id)))
    )
      best = r;
  }
  return best;
}

const at = (amount: number, bps: number): number => Number((BigInt(amount) * BigInt(bps)) / 10_000n);

/**
 * Cashback per rule for the entries of `month` (YYYY-MM). `entries` must reach
 * back to the start of the longest cap period (a quarter) so caps count right;
 * entries outside `month` only consume caps.
 */
export function cashbackForMonth(rules: readonly CashbackRule[], entries: readonly CashbackEntry[], month: string): CashbackLine[] {
  const sorted = [...entries].sort((a, b) => a.occurred_at.localeCompare(b.occurred_at) || a.id.localeCompare(b.id));
  const used = new Map<string, number>();
  const earnedBy = new Map<string, { rule: CashbackRule; amount: number }>();
  const lines = new Map<string, CashbackLine>();
  const line = (rule: CashbackRule, currency: string) => {
    const k = `${rule.id}\u0000${currency}`;
    const l = lines.get(k) ?? { rule_id: rule.id, currency, purchases: 0, earned: 0, reversed: 0, net: 0 };
    lines.set(k, l);
    return l;
  };
  for (const e of sorted) {
    const inMonth = e.occurred_at.slice(0, 7) === month;
    if (e.kind !== "purchase" && e.kind !== "refund") continue;
    const rule = bestRule(rules, e);
    if (!rule) continue;
    let amount: number;
    if (e.kind === "refund") amount = -at(e.amount, rule.rate_bps);
    else {
      const key = `${rule.id}\u0000${periodOf(rule, e.occurred_at.slice(0, 10))}`;
      const spent = used.get(key) ?? 0;
      const full = at(e.amount, rule.rate_bps);
      const room = rule.cap === null ? full : Math.max(0, Math.min(full, rule.cap - spent));
      // The share of the purchase beyond the cap earns the fallback rate.
      const beyond = full === 0 ? 0 : e.amount - Number((BigInt(e.amount) * BigInt(room)) / BigInt(full));
      amount = room + (room < full ? at(beyond, rule.fallback_bps) : 0);
      used.set(key, spent + room);
      earnedBy.set(e.id, { rule, amount });
    }
    if (!inMonth) continue;
    const l = line(rule, e.currency);
    if (e.kind === "purchase") {
      l.earned += amount;
      l.purchases += 1;
    } else l.reversed -= amount;
    l.net += amount;
  }
  // Reversals last: one is back-valued to its original's instant, and cancels what that entry earned.
  for (const e of sorted) {
    const original = e.kind === "reversal" && e.reverses_entry_id ? earnedBy.get(e.reverses_entry_id) : undefined;
    if (!original || e.occurred_at.slice(0, 7) !== month) continue;
    const l = line(original.rule, e.currency);
    l.reversed += original.amount;
    l.net -= original.amount;
  }
  return [...lines.values()].sort((a, b) => a.rule_id.localeCompare(b.rule_id) || a.currency.localeCompare(b.currency));
}

/** The first month (YYYY-MM) of the quarter `month` is in. */
export const quarterStartMonth = (month: string): string =>
  `${month.slice(0, 5)}${String(Math.floor((Number(month.slice(5, 7)) - 1) / 3) * 3 + 1).padStart(2, "0")}`;

/**
 * The months whose estimate an entry of `month` can change: its own and the
 * rest of its quarter (a quarterly cap it consumes is no longer there for the
 * later months). Recomputing these from Silver makes arrival order irrelevant.
 */
export function monthsAffectedBy(month: string): string[] {
  const start = Number(quarterStartMonth(month).slice(5, 7));
  const out: string[] = [];
  for (let m = Number(month.slice(5, 7)); m < start + 3; m++) out.push(`${month.slice(0, 5)}${String(m).padStart(2, "0")}`);
  return out;
}
