/**
 * The one read of a user's posted transactions for the intelligence routes
 * (recurring, forecast, health, risk, digests, simulations). Today it reads
 * Silver (`silver_events` payloads, silver_events_user_date_idx); when the
 * typed Silver transactions table lands, only this function changes.
 *
 * - Income and spending kinds only (deposit, withdrawal, purchase, refund, fee,
 *   interest): transfers between the user's accounts and trade cash legs are
 *   not income or spending.
 * - A reversal and the entry it reverses are both left out (they cancel).
 * - The latest `transaction_annotated` of an entry (by its event time, then
 *   seq) wins for merchant, description and category, as in every read.
 * - `merchant` is the raw text as it arrived (or as the user edited it); the
 *   cores normalize it (merchantKeyOf / normalizeMerchant).
 */
import { TRANSACTION_KINDS } from "../../events/catalog";
import type { IntelTransaction } from "../../domain/intel/types";

/** A bound on one read: a year and a month of a busy user (the bench's 10,000) fits. */
export const MAX_TRANSACTIONS = 20_000;

interface Row {
  type: string;
  account_id: string;
  occurred_at: string;
  payload: string;
}

interface Payload {
  entry_id: string;
  kind: string;
  direction: "credit" | "debit";
  amount: number;
  currency: string;
  merchant: string | null;
  description: string | null;
  category: string | null;
  reverses_entry_id?: string | null;
}

const KINDS: ReadonlySet<string> = new Set(TRANSACTION_KINDS);

/** The user's transactions with event day in [from, to] (YYYY-MM-DD, both optional), oldest first. */
export async function readUserTransactions(
  db: D1Database,
  userId: string,
  range: { from?: string; to?: string } = {},
): Promise<IntelTransaction[]> {
  const { results } = await db
    .prepare(
      `SELECT type, account_id, occurred_at, payload FROM silver_events
       WHERE user_id = ?1 AND event_date >= ?2 AND event_date <= ?3
         AND type IN ('transaction_posted', 'transaction_annotated')
       ORDER BY occurred_at, seq LIMIT ?4`,
    )
    .bind(userId, range.from ?? "0000-00-00", range.to ?? "9999-99-99", MAX_TRANSACTIONS * 2)
    .all<Row>();
  const posted = new Map<string, IntelTransaction>();
  const reversed = new Set<string>();
  const annotations: Payload[] = [];
  for (const r of results) {
    const p = JSON.parse(r.payload) as Payload;
    if (r.type === "transaction_annotated") {
      annotations.push(p);
      continue;
    }
    if (p.kind === "reversal") {
      if (p.reverses_entry_id) reversed.add(p.reverses_entry_id);
      continue;
    }
    if (!KINDS.has(p.kind)) continue;
    posted.set(p.entry_id, {
      id: p.entry_id,
      account_id: r.account_id,
      user_id: userId,
      occurred_at: r.occurred_at,
      amount: p.amount,
      direction: p.direction,
      currency: p.currency,
      merchant: p.merchant,
      description: p.description,
      category: p.category,
    });
  }
  // Rows are in event-time order, so the last annotation applied is the latest.
  for (const a of annotations) {
    const tx = posted.get(a.entry_id);
    if (tx) Object.assign(tx, { merchant: a.merchant, description: a.description, category: a.category });
  }
  const out: IntelTransaction[] = [];
  for (const tx of posted.values()) if (!reversed.has(tx.id)) out.push(tx);
  return out.slice(-MAX_TRANSACTIONS);
}
