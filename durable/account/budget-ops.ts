/**
 * Budgets inside the account: set, list with spent/remaining/status for the
 * current period, delete. Spending is read from the journal itself (so it
 * cannot drift), and threshold alerts are decided in the same transaction as
 * the purchase that crosses them, once per threshold per period.
 */
import type { AccountDO, Caller, Reply } from "../account-do";
import { crossedThresholds, periodBounds, statusOf, validateBudget, type Budget, type BudgetPeriod } from "../../src/domain/budget";
import { DomainError } from "../../src/domain/errors";
import { okReply, type AccountRow, type JournalRow } from "./store";

export interface SetBudgetCommand {
  category: string;
  limit: number;
  period: BudgetPeriod;
  alert_at: number[];
}

interface BudgetRow {
  category: string;
  limit_amount: number;
  period: BudgetPeriod;
  alert_at: string;
  created_at: string;
  updated_at: string;
}

export const MAX_BUDGETS = 50;
const SPENDING_KINDS = "('purchase', 'refund')";

function toBudget(r: BudgetRow, currency: string): Budget {
  return { category: r.category, limit: r.limit_amount, period: r.period, alertAt: JSON.parse(r.alert_at) as number[], currency };
}

function budgetRow(d: AccountDO, category: string): BudgetRow | null {
  return (d.storage.sql.exec("SELECT * FROM budgets WHERE category = ?", category).toArray()[0] as unknown as BudgetRow) ?? null;
}

/** Purchases minus refunds in [start, end), each reversal cancelling its original. */
function spentIn(d: AccountDO, category: string, start: string, end: string): number {
  return d.storage.sql
    .exec<{ spent: number }>(
      `SELECT COALESCE(SUM(CASE direction WHEN 'debit' THEN amount ELSE -amount END), 0) AS spent FROM journal
       WHERE category = ? AND occurred_at >= ? AND occurred_at < ? AND (kind IN ${SPENDING_KINDS} OR reverses_kind IN ${SPENDING_KINDS})`,
      category, start, end)
    .one().spent;
}

function isSpending(e: JournalRow): boolean {
  return e.kind === "purchase" || e.kind === "refund" || e.reverses_kind === "purchase" || e.reverses_kind === "refund";
}

/** Called inside the transaction that appended `e`: emit each threshold it crossed, once per period. */
export function afterSpendingEntry(d: AccountDO, a: AccountRow, e: JournalRow, nowIso: string): void {
  if (!e.category || !isSpending(e)) return;
  const row = budgetRow(d, e.category);
  if (!row) return;
  const budget = toBudget(row, a.currency);
  const { start, end } = periodBounds(budget.period, e.occurred_at);
  const after = spentIn(d, e.category, start, end);
  const before = after - (e.direction === "debit" ? e.amount : -e.amount);
  for (const bp of crossedThresholds(budget, before, after)) {
    const fresh = d.storage.sql
      .exec("INSERT OR IGNORE INTO budget_alerts (category, period_start, threshold_bp, crossed_at) VALUES (?, ?, ?, ?) RETURNING threshold_bp",
        e.category, start, bp, nowIso)
      .toArray().length > 0;
    if (!fresh) continue;
    d.store.emit(a, "budget_threshold_crossed", {
      category: e.category, period: budget.period, period_start: start, threshold: bp / 10_000, spent: Math.max(after, 0),
      limit: budget.limit, currency: a.currency,
    }, nowIso, nowIso);
  }
}

function budgetView(d: AccountDO, r: BudgetRow, currency: string, nowIso: string) {
  const b = toBudget(r, currency);
  const { start, end } = periodBounds(b.period, nowIso);
  const spent = Math.max(0, spentIn(d, b.category, start, end));
  return {
    object: "budget" as const,
    category: b.category,
    limit: b.limit,
    currency,
    period: b.period,
    alert_at: b.alertAt,
    period_start: start,
    period_end: end,
    spent,
    remaining: Math.max(0, b.limit - spent),
    status: statusOf(b, spent),
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

export async function setBudget(d: AccountDO, caller: Caller, cmd: SetBudgetCommand): Promise<Reply> {
  let created = false;
  const reply = d.guarded(caller, () =>
    d.store.transaction(() => {
      const a = d.owned(caller.userId);
      if (a.status !== "open") throw new DomainError("account_closed", "The account is closed");
      const alertAt = [...cmd.alert_at].sort((x, y) => x - y);
      validateBudget({ category: cmd.category, limit: cmd.limit, period: cmd.period, alertAt, currency: a.currency });
      const now = new Date().toISOString();
      created = !budgetRow(d, cmd.category);
      const count = d.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM budgets").one().n;
      if (created && count >= MAX_BUDGETS) throw new DomainError("unprocessable", `At most ${MAX_BUDGETS} budgets per account`);
      d.storage.sql.exec(
        `INSERT INTO budgets (category, limit_amount, period, alert_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (category) DO UPDATE SET limit_amount = excluded.limit_amount, period = excluded.period,
           alert_at = excluded.alert_at, updated_at = excluded.updated_at`,
        cmd.category, cmd.limit, cmd.period, JSON.stringify(alertAt), now, now);
      d.store.emit(a, "budget_set", { category: cmd.category, limit: cmd.limit, period: cmd.period, alert_at: alertAt, currency: a.currency }, now, now);
      return okReply(created ? 201 : 200, budgetView(d, budgetRow(d, cmd.category)!, a.currency, now));
    }),
  );
  await d.outbox.committed();
  return reply;
}

export function listBudgets(d: AccountDO, caller: Caller): Reply {
  return d.guarded(caller, () => {
    const a = d.owned(caller.userId);
    const now = new Date().toISOString();
    const rows = d.storage.sql.exec("SELECT * FROM budgets ORDER BY category LIMIT ?", MAX_BUDGETS).toArray() as unknown as BudgetRow[];
    return okReply(200, { object: "list", data: rows.map((r) => budgetView(d, r, a.currency, now)), has_more: false });
  });
}

export async function deleteBudget(d: AccountDO, caller: Caller, category: string): Promise<Reply> {
  const reply = d.guarded(caller, () =>
    d.store.transaction(() => {
      const a = d.owned(caller.userId);
      if (!budgetRow(d, category)) throw new DomainError("not_found", "Budget not found");
      const now = new Date().toISOString();
      d.storage.sql.exec("DELETE FROM budgets WHERE category = ?", category);
      // The ended budget's alert memory goes with it: a budget set again later is a new one.
      d.storage.sql.exec("DELETE FROM budget_alerts WHERE category = ?", category);
      d.store.emit(a, "budget_deleted", { category }, now, now);
      return { status: 204, body: "" };
    }),
  );
  await d.outbox.committed();
  return reply;
}
