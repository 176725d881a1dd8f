/**
 * Reconciliation for operators: for each account, Gold's daily figures,
 * balance and pending holds against a recomputation from the account's Durable
 * Object journal. Zero drift is the proof that Gold is right; an account whose
 * events are still in the pipeline is reported as lagging, not as drift.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { asc, gt } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { accounts } from "../db/schema";
import { DomainError } from "../domain/errors";
import { accountStub } from "../lib/account-rpc";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAdmin, requireAuth } from "../middleware/auth";
import { diffDays, diffTotals, journalDays, type DayFigures, type JournalEntry } from "../pipeline/reconcile";
import { AccountId } from "./schemas";
import { PageCursor, PageLimit } from "./pipeline-schemas";

const JOURNAL_PAGE = 5_000;
const MAX_DRIFT_ITEMS = 100;
const CONCURRENCY = 5;

const Drift = z.object({ day: z.string().nullable(), field: z.string(), gold: z.number().int().nullable(), journal: z.number().int().nullable() });
const Totals = z.object({ posted: z.number().int(), pending: z.number().int(), entries: z.number().int() });
const AccountReport = z
  .object({
    account_id: z.string(), user_id: z.string().nullable(),
    status: z.enum(["ok", "drift", "lagging", "missing"]).openapi({ description: "lagging: the journal has entries Silver has not seen yet" }),
    journal: Totals.nullable(), gold: Totals, silver_transactions: z.number().int(), drift_count: z.number().int(), drift: z.array(Drift),
  })
  .openapi("ReconcileAccount");

const route = createRoute({
  method: "get", path: "/admin/reconcile", tags: ["admin"], summary: "Compare Gold with each account's journal",
  security: bearerSecurity, middleware: [requireAuth(), requireAdmin()],
  request: { query: z.object({ account_id: AccountId.optional(), limit: PageLimit(25, 10), cursor: PageCursor }) },
  responses: {
    200: jsonResponse(
      z.object({ object: z.literal("reconciliation"), checked: z.number().int(), drifted: z.number().int(), lagging: z.number().int(), data: z.array(AccountReport), has_more: z.boolean(), next_cursor: z.string().nullable() }),
      "One report per account",
    ),
    ...errorResponses(400, 401, 403),
  },
});

async function readJournal(env: Env, accountId: string) {
  const stub = accountStub(env, accountId);
  const entries: JournalEntry[] = [];
  let afterSeq = 0;
  for (;;) {
    const page = await stub.reconcileView({ afterSeq, limit: JOURNAL_PAGE });
    if (!page.account) return null;
    for (const e of page.entries) entries.push({ seq: e.seq, direction: e.direction as "credit" | "debit", amount: e.amount, occurred_at: e.occurred_at });
    if (page.next_after_seq === null) return { account: page.account, entries };
    afterSeq = page.next_after_seq;
  }
}

async function readGold(db: D1Database, accountId: string, userId: string | null) {
  const [days, pending, silver] = await db.batch([
    db.prepare("SELECT day, inflow, outflow, net, entries, closing_balance FROM gold_daily_balances WHERE account_id = ?1 ORDER BY day").bind(accountId),
    db
      .prepare(
        `SELECT COALESCE(SUM(p.amount), 0) AS n FROM gold_transfers p WHERE p.account_id = ?1 AND p.stage = 'pending'
         AND NOT EXISTS (SELECT 1 FROM gold_transfers r WHERE r.transfer_id = p.transfer_id AND r.stage = 'resolved')`,
      )
      .bind(accountId),
    // Silver's own count tells a pipeline that is behind (lagging) from a Gold that is wrong (drift).
    db.prepare("SELECT COUNT(*) AS n FROM silver_events WHERE user_id = ?2 AND account_id = ?1 AND type = 'transaction_posted'").bind(accountId, userId ?? ""),
  ]);
  return {
    days: days!.results as unknown as DayFigures[],
    pending: (pending!.results[0] as { n: number }).n,
    silverTransactions: (silver!.results[0] as { n: number }).n,
  };
}

async function reconcileAccount(env: Env, accountId: string): Promise<z.infer<typeof AccountReport>> {
  const journal = await readJournal(env, accountId);
  const gold = await readGold(env.DB, accountId, journal?.account.user_id ?? null);
  const goldTotals = {
    posted: gold.days[gold.days.length - 1]?.closing_balance ?? 0,
    pending: gold.pending,
    entries: gold.days.reduce((n, d) => n + d.entries, 0),
  };
  if (!journal) {
    return { account_id: accountId, user_id: null, status: "missing", journal: null, gold: goldTotals, silver_transactions: gold.silverTransactions, drift_count: 0, drift: [] };
  }
  const journalTotals = { posted: journal.account.posted, pending: journal.account.pending, entries: journal.entries.length };
  const drift = [...diffTotals(goldTotals, journalTotals), ...diffDays(gold.days, journalDays(journal.entries))];
  const status = drift.length === 0 ? "ok" : gold.silverTransactions < journal.entries.length ? "lagging" : "drift";
  return {
    account_id: accountId, user_id: journal.account.user_id, status, journal: journalTotals, gold: goldTotals,
    silver_transactions: gold.silverTransactions, drift_count: drift.length, drift: drift.slice(0, MAX_DRIFT_ITEMS),
  };
}

export const adminReconcileRouter = createRouter();

adminReconcileRouter.openapi(route, async (c) => {
  const { account_id, limit, cursor } = c.req.valid("query");
  if (account_id && cursor) throw new DomainError("validation_error", "cursor pages through all accounts; omit it with account_id", { field: "cursor" });
  let ids: string[];
  let nextCursor: string | null = null;
  if (account_id) {
    ids = [account_id];
  } else {
    const after = cursor ? AccountId.safeParse(cursor) : null;
    if (after && !after.success) throw new DomainError("validation_error", "Invalid cursor", { field: "cursor" });
    const rows = await drizzle(c.env.DB)
      .select({ id: accounts.id })
      .from(accounts)
      .where(after?.success ? gt(accounts.id, after.data) : undefined)
      .orderBy(asc(accounts.id))
      .limit(limit + 1);
    ids = rows.slice(0, limit).map((r) => r.id);
    if (rows.length > limit) nextCursor = ids[ids.length - 1]!;
  }
  const reports: z.infer<typeof AccountReport>[] = new Array(ids.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, ids.length) }, async () => {
      while (next < ids.length) {
        const i = next++;
        reports[i] = await reconcileAccount(c.env, ids[i]!);
      }
    }),
  );
  return c.json({
    object: "reconciliation" as const,
    checked: reports.length,
    drifted: reports.filter((r) => r.status === "drift").length,
    lagging: reports.filter((r) => r.status === "lagging").length,
    data: reports,
    has_more: nextCursor !== null,
    next_cursor: nextCursor,
  }, 200);
});
