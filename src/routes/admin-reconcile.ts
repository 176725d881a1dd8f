/**
 * Reconciliation for operators: Gold as users see it — daily balances,
 * pending holds, monthly flows and spending — against a recomputation from
 * each account's Durable Object journal with the live pipeline's own fold.
 * Spending is per user in Gold, so it is checked for a whole user at a time:
 * with `user_id`, or page by page over users without a parameter. Zero drift
 * is the proof that Gold is right; entries still in the pipeline are counted
 * as `not_ingested` and left out of the comparison instead of hiding drift.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { accountOwner, accountsOf, userAccountCounts } from "../db/pipeline/reconcile-scope";
import { loadRules } from "../db/pipeline/rules";
import { DomainError } from "../domain/errors";
import { accountStub } from "../lib/account-rpc";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { reconcileScope, type AccountReport, type ReconcileScope, type SpendingReport } from "../lib/reconcile";
import { audit } from "../lib/audit-context";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAdmin, requireAuth } from "../middleware/auth";
import { AccountId } from "./schemas";
import { PageCursor, PageLimit } from "./pipeline-schemas";

const Drift = z
  .object({
    table: z.enum([
      "gold_daily_balances",
      "gold_monthly_flows",
      "gold_spending",
      "gold_transfers",
      "gold_portfolio_daily",
      "gold_portfolio_positions",
      "silver_events",
    ]),
    key: z.record(z.string(), z.string()).openapi({ description: "The row's primary key, e.g. {account_id, day}" }),
    field: z.string(),
    gold: z.number().int().nullable().openapi({ description: "Gold's value; null when the row is absent" }),
    journal: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "Recomputed from the journal entries Silver holds; null when no entry makes the row" }),
  })
  .openapi("ReconcileDrift");
const Totals = z.object({ posted: z.number().int(), pending: z.number().int(), entries: z.number().int() });
const Status = z.enum(["ok", "drift", "lagging", "missing"]);
const AccountReportSchema = z
  .object({
    account_id: z.string(),
    user_id: z.string().nullable(),
    status: Status.openapi({ description: "lagging: no drift, but journal entries (or transfer events) are still on their way to Silver" }),
    journal: Totals.nullable(),
    gold: Totals,
    silver_transactions: z.number().int(),
    not_ingested: z.number().int().openapi({ description: "Journal entries Silver did not hold yet; left out of the comparison" }),
    annotations_not_ingested: z
      .number()
      .int()
      .openapi({ description: "Annotated entries whose latest annotation Silver did not hold yet: compared as Gold holds them, and lag" }),
    drift_count: z.number().int(),
    drift: z.array(Drift),
  })
  .openapi("ReconcileAccount");
const SpendingReportSchema = z
  .object({
    user_id: z.string(),
    status: Status.exclude(["missing"]),
    accounts: z.number().int(),
    not_ingested: z.number().int(),
    drift_count: z.number().int(),
    drift: z.array(Drift),
  })
  .openapi("ReconcileSpending");

const UserId = z.string().regex(/^usr_[0-9a-z]{1,40}$/, "must be a user id");

const route = createRoute({
  method: "get",
  path: "/admin/reconcile",
  tags: ["admin"],
  operationId: "reconcile",
  summary: "Compare Gold with each account's journal",
  description:
    "account_id: one account (daily balances, totals, monthly flows). user_id: every account of the user, plus the user's spending. " +
    "Neither: pages of whole users, about `limit` accounts each (one user's accounts are never split).",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()],
  request: {
    query: z.object({ account_id: AccountId.optional(), user_id: UserId.optional(), limit: PageLimit(25, 10), cursor: PageCursor }),
  },
  responses: {
    200: jsonResponse(
      z.object({
        object: z.literal("reconciliation"),
        scope: z.enum(["account", "user", "all"]),
        checked: z.number().int(),
        drifted: z.number().int(),
        lagging: z.number().int(),
        spending_drifted: z.number().int(),
        data: z.array(AccountReportSchema),
        spending: z.array(SpendingReportSchema),
        has_more: z.boolean(),
        next_cursor: z.string().nullable(),
      }),
      "One report per account, one spending report per whole user",
    ),
    ...errorResponses(400, 401, 403),
  },
});

/** The next whole users after `after`, up to about `limit` accounts (always at least one user). */
async function userPage(db: D1Database, after: string, limit: number): Promise<{ scopes: ReconcileScope[]; nextCursor: string | null }> {
  const results = await userAccountCounts(db, after, limit + 1);
  const users: string[] = [];
  let budget = 0;
  for (const r of results) {
    if (users.length > 0 && budget + r.n > limit) break;
    users.push(r.user_id);
    budget += r.n;
  }
  const byUser = await accountsOf(db, users);
  const scopes = users.map((u) => ({ userId: u, accountIds: byUser.get(u)!, spending: true }));
  return { scopes, nextCursor: users.length < results.length ? encodeCursor([users[users.length - 1]]) : null };
}

export const adminReconcileRouter = createRouter().openapi(route, async (c) => {
  const { account_id, user_id, limit, cursor } = c.req.valid("query");
  if (account_id && user_id) throw new DomainError("validation_error", "Give account_id or user_id, not both", { field: "user_id" });
  if ((account_id || user_id) && cursor)
    throw new DomainError("validation_error", "cursor pages through all users; omit it with account_id or user_id", { field: "cursor" });
  const db = c.env.DB;
  let scopes: ReconcileScope[];
  let nextCursor: string | null = null;
  if (account_id) {
    // The owner scopes the Silver read; an account missing from the registry is asked itself.
    const owner =
      (await accountOwner(db, account_id)) ??
      (await accountStub(c.env, account_id).reconcileView({ afterSeq: 0, limit: 1 })).account?.user_id ??
      null;
    scopes = [{ userId: owner, accountIds: [account_id], spending: false }];
  } else if (user_id) {
    scopes = [{ userId: user_id, accountIds: (await accountsOf(db, [user_id])).get(user_id)!, spending: true }];
  } else {
    const after = decodeCursor(cursor, z.tuple([z.string()]))?.[0] ?? "";
    ({ scopes, nextCursor } = await userPage(db, after, limit));
  }

  await audit(c, "pipeline.reconcile", account_id ? "account" : user_id ? "user" : "platform", account_id ?? user_id ?? null, {
    page: cursor ? "next" : "first",
  });
  const rules = await loadRules(db);
  const data: AccountReport[] = [];
  const spending: SpendingReport[] = [];
  // Users one after another: each is one snapshot plus its journals, so the fan-out stays bounded.
  for (const scope of scopes) {
    const r = await reconcileScope(c.env, scope, rules);
    data.push(...r.accounts);
    if (r.spending) spending.push(r.spending);
  }
  return c.json(
    {
      object: "reconciliation" as const,
      scope: account_id ? ("account" as const) : user_id ? ("user" as const) : ("all" as const),
      checked: data.length,
      drifted: data.filter((r) => r.status === "drift").length,
      lagging: data.filter((r) => r.status === "lagging").length,
      spending_drifted: spending.filter((s) => s.status === "drift").length,
      data,
      spending,
      has_more: nextCursor !== null,
      next_cursor: nextCursor,
    },
    200,
  );
});
