/**
 * Keeps Gold cashback (`gold_cashback`) in step with Silver. When a posted
 * entry or an annotation lands, the user's month is recomputed from
 * silver_transactions with the pure core (src/domain/intel/cashback.ts),
 * together with the rest of its quarter (quarterly caps), and the rows are
 * replaced. A recomputation reads only Silver, so redeliveries, replays and
 * out-of-order arrival all end in the same rows, and caps and fallback rates
 * apply in order of event time. Rule edits recompute the rule's window.
 */
import { listCashbackRules, type StoredCashbackRule } from "../../db/intel/cashback-rules";
import { type GoldCashbackRow, replaceMonthStatements, usersWithCashbackRules } from "../../db/intel/cashback-gold";
import { readUserTransactions } from "../../db/intel/transactions-read";
import { cashbackForMonth, monthsAffectedBy, quarterStartMonth } from "../../domain/intel/cashback";
import { type EventParser, parseEvent } from "../../events/catalog";
import { addDays, lastDayOfMonth } from "../../pipeline/time";

const CASHBACK_KINDS = new Set(["purchase", "refund", "reversal"]);

/** user → the months (YYYY-MM) of the batch's posted purchases, refunds, reversals and annotations. */
export function cashbackMonthsOf(
  bodies: readonly unknown[],
  skip: ReadonlySet<number> = new Set(),
  parse: EventParser = parseEvent,
): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  bodies.forEach((body, i) => {
    if (skip.has(i)) return;
    const parsed = parse(body);
    if (!parsed.ok) return;
    const e = parsed.event;
    let at: string | null = null;
    if (e.type === "transaction_posted" && CASHBACK_KINDS.has(e.payload.kind)) at = e.occurred_at;
    else if (e.type === "transaction_annotated") at = e.payload.entry_occurred_at;
    if (!at) return;
    const months = out.get(e.user_id) ?? new Set<string>();
    months.add(new Date(Date.parse(at)).toISOString().slice(0, 7));
    out.set(e.user_id, months);
  });
  return out;
}

/** Recomputes the touched months (and the rest of their quarters) of every touched user that has rules. */
export async function refreshCashback(db: D1Database, touched: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
  if (touched.size === 0) return;
  const withRules = await usersWithCashbackRules(db, [...touched.keys()]);
  const statements = (
    await Promise.all([...withRules].map(async (userId) => recomputeStatements(db, userId, [...touched.get(userId)!])))
  ).flat();
  if (statements.length > 0) await db.batch(statements);
}

/** How far back a rule edit recomputes: as far as the intelligence reads look. */
export const RULE_REFRESH_DAYS = 400;

/** After a rule is created or deleted: recompute the months of its window from RULE_REFRESH_DAYS before `until` (YYYY-MM-DD) to it. */
export async function refreshCashbackWindow(db: D1Database, userId: string, rule: StoredCashbackRule, until: string): Promise<void> {
  const last = (rule.valid_to && rule.valid_to < until ? rule.valid_to : until).slice(0, 7);
  const earliest = addDays(until, -RULE_REFRESH_DAYS);
  const months: string[] = [];
  for (
    let m = (rule.valid_from > earliest ? rule.valid_from : earliest).slice(0, 7);
    m <= last;
    m = addDays(lastDayOfMonth(`${m}-01`), 1).slice(0, 7)
  )
    months.push(m);
  const statements = await recomputeStatements(db, userId, months);
  if (statements.length > 0) await db.batch(statements);
}

/** One Silver read per quarter touched, from the quarter's start to the end of the last month needed. */
async function recomputeStatements(db: D1Database, userId: string, months: readonly string[]): Promise<D1PreparedStatement[]> {
  const rules = await listCashbackRules(db, userId);
  const byQuarter = new Map<string, Set<string>>();
  for (const m of months)
    for (const affected of monthsAffectedBy(m)) {
      const q = quarterStartMonth(affected);
      byQuarter.set(q, (byQuarter.get(q) ?? new Set()).add(affected));
    }
  const accountOf = new Map(rules.map((r) => [r.id, r.account_id]));
  const out: D1PreparedStatement[] = [];
  for (const [start, set] of [...byQuarter].sort(([a], [b]) => a.localeCompare(b))) {
    const wanted = [...set].sort();
    const entries =
      rules.length === 0
        ? []
        : await readUserTransactions(db, userId, { from: `${start}-01`, to: addDays(lastDayOfMonth(`${wanted.at(-1)}-01`), 1) });
    for (const month of wanted) {
      const lines: GoldCashbackRow[] = cashbackForMonth(rules, entries, month).map((l) => ({
        ...l,
        account_id: accountOf.get(l.rule_id)!,
      }));
      out.push(...replaceMonthStatements(db, userId, month, lines));
    }
  }
  return out;
}
