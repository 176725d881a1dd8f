/**
 * An account's transactions: post (idempotent), list with filters and cursor
 * pagination, read one, reverse one. The AccountDO applies every rule.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { validateOccurredAt } from "../domain/account";
import { checkInstantRange } from "../domain/calendar";
import { DomainError } from "../domain/errors";
import { TRANSACTION_KINDS } from "../events/catalog";
import { accountStub, callerOf, idempotencyKey, sendReply } from "../lib/account-rpc";
import { bearerSecurity, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { AccountId, Amount, Category, CreateTransactionBody, Cursor, EntryId, IdempotencyHeader, Limit, listOf, Balance, Transaction } from "./schemas";
import { Instant } from "./pipeline-schemas";

const tags = ["transactions"];
const IdParam = z.object({ id: AccountId });
const TxParam = z.object({ id: AccountId, tx_id: EntryId });
const Posted = Transaction.extend({ balance: Balance }).openapi("PostedTransaction");

const createTx = createRoute({
  method: "post", path: "/accounts/{id}/transactions", tags, summary: "Post a transaction", security: bearerSecurity, middleware: [requireAuth()] as const,
  request: { params: IdParam, headers: IdempotencyHeader, body: jsonBody(CreateTransactionBody) },
  responses: { 201: jsonResponse(Posted, "The journal entry and the balance after it"), ...errorResponses(400, 401, 404, 409, 422) },
});

const listTx = createRoute({
  method: "get", path: "/accounts/{id}/transactions", tags, summary: "List transactions, newest first", security: bearerSecurity, middleware: [requireAuth()] as const,
  request: {
    params: IdParam,
    query: z.object({
      from: Instant.optional().openapi({ description: "Entries at or after this event time" }),
      to: Instant.optional().openapi({ description: "Entries before this event time (exclusive)" }),
      kind: z.enum([...TRANSACTION_KINDS, "reversal", "transfer_in", "transfer_out"]).optional(),
      category: Category.optional(),
      merchant: z.string().min(1).max(200).optional(),
      min_amount: z.coerce.number().pipe(Amount).optional(),
      max_amount: z.coerce.number().pipe(Amount).optional(),
      limit: Limit,
      cursor: Cursor,
    }),
  },
  responses: { 200: jsonResponse(listOf(Transaction), "A page of transactions"), ...errorResponses(400, 401, 404) },
});

const getTx = createRoute({
  method: "get", path: "/accounts/{id}/transactions/{tx_id}", tags, summary: "Get one transaction", security: bearerSecurity, middleware: [requireAuth()] as const,
  request: { params: TxParam },
  responses: { 200: jsonResponse(Transaction, "The transaction"), ...errorResponses(400, 401, 404) },
});

const reverseTx = createRoute({
  method: "post", path: "/accounts/{id}/transactions/{tx_id}/reverse", tags, summary: "Reverse a transaction (once)", security: bearerSecurity, middleware: [requireAuth()] as const,
  request: { params: TxParam, headers: IdempotencyHeader },
  responses: { 201: jsonResponse(Posted, "The reversing entry"), ...errorResponses(400, 401, 404, 409, 422) },
});

export const transactionsRouter = createRouter();

transactionsRouter.openapi(createTx, async (c) => {
  const key = idempotencyKey(c);
  const body = c.req.valid("json");
  // Checked here too, so a bad event time is a plain 400 the client can fix and retry under the same key.
  if (body.occurred_at) {
    try {
      validateOccurredAt(body.occurred_at, Date.now());
    } catch (err) {
      // Name the field, as every other date error does.
      if (err instanceof DomainError && err.details === undefined) throw new DomainError(err.code, err.message, { field: "occurred_at" });
      throw err;
    }
  }
  return sendReply(await accountStub(c.env, c.req.valid("param").id).postTransaction(callerOf(c), key, body));
});

transactionsRouter.openapi(listTx, async (c) => {
  const { cursor, ...filter } = c.req.valid("query");
  checkInstantRange(filter.from, filter.to);
  return sendReply(await accountStub(c.env, c.req.valid("param").id).listTransactions(callerOf(c), {
    ...filter, before_seq: cursor ? Number(cursor) : undefined,
  }));
});

transactionsRouter.openapi(getTx, async (c) => {
  const { id, tx_id } = c.req.valid("param");
  return sendReply(await accountStub(c.env, id).getTransaction(callerOf(c), tx_id));
});

transactionsRouter.openapi(reverseTx, async (c) => {
  const key = idempotencyKey(c);
  const { id, tx_id } = c.req.valid("param");
  return sendReply(await accountStub(c.env, id).reverse(callerOf(c), key, tx_id));
});
