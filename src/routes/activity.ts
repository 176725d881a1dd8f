/**
 * Lists across all of the caller's accounts: every transaction (the same
 * filters as one account's list) and every transfer sent or received. Each
 * account's object returns one page; the edge merges them newest first under
 * a keyset cursor (time, account, then seq or id), so pages never repeat or
 * skip a line.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { checkInstantRange } from "../domain/calendar";
import { accountStub, callerOf } from "../lib/account-rpc";
import { cursorQuery, decodeCursor, encodeCursor } from "../lib/cursor";
import { accountScope as scope, newestFirst, okPages as pages } from "../lib/merge-pages";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { AccountTransaction, TransferLine } from "./activity-schemas";
import { AccountId, Limit, listOf, TransactionFilters } from "./schemas";

const tags = ["transactions"];
const TxCursor = z.object({ t: z.string().max(40), a: z.string().max(40), s: z.number().int().positive() });
const TrfCursor = z.object({ t: z.string().max(40), a: z.string().max(40), i: z.string().max(60) });

const listAll = createRoute({
  method: "get",
  path: "/transactions",
  tags,
  operationId: "listAllTransactions",
  summary: "List transactions across all your accounts, newest first",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Every account's entries merged newest first by recording time, with the per-account filters; each line names its `account_id`.",
  request: { query: TransactionFilters.extend({ account_id: AccountId.optional(), limit: Limit, cursor: cursorQuery }) },
  responses: { 200: jsonResponse(listOf(AccountTransaction), "A page of transactions"), ...errorResponses(400, 401) },
});

const listTransfers = createRoute({
  method: "get",
  path: "/transfers",
  tags: ["transfers"],
  operationId: "listTransfers",
  summary: "List transfers your accounts sent and received, newest first",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "One line per transfer and account: a transfer between two of your accounts is listed as sent by one and received by the other. Filter by status and account.",
  request: {
    query: z.object({
      status: z.enum(["pending", "posted", "voided", "failed"]).optional(),
      account_id: AccountId.optional(),
      limit: Limit,
      cursor: cursorQuery,
    }),
  },
  responses: { 200: jsonResponse(listOf(TransferLine), "A page of transfers"), ...errorResponses(400, 401) },
});

/** Where account `a` resumes after a cursor at (t, c): later accounts at t are already shown, earlier ones are not. */
function resume(a: string, cursor: { t: string; a: string } | null) {
  if (!cursor) return undefined;
  return a < cursor.a ? { at: cursor.t, inclusive: true } : { at: cursor.t, inclusive: false };
}

export const activityRouter = createRouter()
  .openapi(listAll, async (c) => {
    const { cursor, account_id, limit, ...filter } = c.req.valid("query");
    checkInstantRange(filter.from, filter.to);
    const after = decodeCursor(cursor, TxCursor);
    const caller = callerOf(c);
    const ids = await scope(c.env, caller.userId, account_id);
    const results = await Promise.all(
      ids.map((id) =>
        accountStub(c.env, id).listTransactions(caller, {
          ...filter,
          limit,
          ...(after && id === after.a ? { before_seq: after.s } : { recorded_before: resume(id, after) }),
        }),
      ),
    );
    const rows = pages(results).flatMap((p, i) => p.data.map((e) => ({ ...e, account_id: ids[i]! })));
    const { last, ...page } = newestFirst(rows, (r) => [r.recorded_at, r.account_id, r.seq], limit, pages(results));
    return c.json({ ...page, next_cursor: last ? encodeCursor({ t: last.recorded_at, a: last.account_id, s: last.seq }) : null }, 200);
  })
  .openapi(listTransfers, async (c) => {
    const { cursor, account_id, limit, status } = c.req.valid("query");
    const after = decodeCursor(cursor, TrfCursor);
    const caller = callerOf(c);
    const ids = await scope(c.env, caller.userId, account_id);
    const results = await Promise.all(
      ids.map((id) =>
        accountStub(c.env, id).listTransfers(caller, {
          status,
          limit,
          created_before: after && id === after.a ? { at: after.t, id: after.i } : resume(id, after),
        }),
      ),
    );
    const { last, ...page } = newestFirst(
      pages(results).flatMap((p) => p.data),
      (r) => [r.created_at, r.account_id, r.id],
      limit,
      pages(results),
    );
    return c.json({ ...page, next_cursor: last ? encodeCursor({ t: last.created_at, a: last.account_id, i: last.id }) : null }, 200);
  });
