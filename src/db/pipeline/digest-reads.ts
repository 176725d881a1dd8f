/**
 * What the weekly digest reads from Silver: a page of users with a
 * transaction in the two weeks, and each one's spending entries of those
 * weeks (silver_events_date_idx, then silver_events_user_date_idx).
 */
import { type SpendingFacts, spendingEffect } from "../../domain/spending";
import type { WeekSpending } from "../../domain/notifications/digest";

/** Users with a transaction on or after `from` and before `end`, after `afterUser`, in id order. */
export async function digestUsers(db: D1Database, from: string, end: string, afterUser: string, limit: number): Promise<string[]> {
  const { results } = await db
    .prepare(
      `SELECT DISTINCT user_id FROM silver_events
       WHERE event_date >= ?1 AND event_date < ?2 AND type = 'transaction_posted' AND user_id > ?3
       ORDER BY user_id LIMIT ?4`,
    )
    .bind(from, end, afterUser, limit)
    .all<{ user_id: string }>();
  return results.map((r) => r.user_id);
}

const TOP = 3;

/** One user's spending per currency: the week from `start` to `end` and the week before it (from `previousStart`). */
export async function weekSpending(
  db: D1Database,
  userId: string,
  window: { previousStart: string; start: string; end: string },
): Promise<WeekSpending[]> {
  const { results } = await db
    .prepare(
      `SELECT event_date, payload FROM silver_events
       WHERE user_id = ?1 AND event_date >= ?2 AND event_date < ?3 AND type = 'transaction_posted'`,
    )
    .bind(userId, window.previousStart, window.end)
    .all<{ event_date: string; payload: string }>();
  const byCurrency = new Map<string, { spent: number; previous: number; entries: number; categories: Map<string, number> }>();
  for (const r of results) {
    const p = JSON.parse(r.payload) as SpendingFacts & { currency: string; category?: string | null };
    const effect = spendingEffect(p);
    if (!effect) continue;
    const w = byCurrency.get(p.currency) ?? { spent: 0, previous: 0, entries: 0, categories: new Map() };
    if (r.event_date >= window.start) {
      w.spent += effect.amount;
      w.entries += 1;
      const category = p.category ?? "uncategorized";
      w.categories.set(category, (w.categories.get(category) ?? 0) + effect.amount);
    } else w.previous += effect.amount;
    byCurrency.set(p.currency, w);
  }
  return [...byCurrency]
    .map(([currency, w]) => ({
      currency,
      spent: w.spent,
      previous: w.previous,
      entries: w.entries,
      top: [...w.categories]
        .filter(([, amount]) => amount > 0)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .slice(0, TOP)
        .map(([category, amount]) => ({ category, amount })),
    }))
    .sort((a, b) => b.spent - a.spent || a.currency.localeCompare(b.currency));
}
