/**
 * An account's transactions: post (idempotent), list with filters and cursor
 * pagination, read one, reverse one. The AccountDO applies every rule.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { backdateDays } from "../config";
import { validateOccurredAt } from "../domain/account";
import { checkInstantRange } from "../domain/calendar";
import { DomainError } from "../domain/errors";
import { accountStub, callerOf, idempotencyKey, sendReply } from "../lib/account-rpc";
import {
  bearerSecurity,
  bodyErrors,
  createRouter,
  errorResponses,
  idempotentResponse,
  jsonBody,
  jsonResponse,
  NoFields,
  optionalJsonBody,
} from "../lib/router";
import { requireAuth } from "../middleware/auth";
import {
  AccountId,
  CreateTransactionBody,
  Cursor,
  EntryId,
  IdempotencyHeader,
  Limit,
  listOf,
  Balance,
  Transaction,
  TransactionFilters,
} from "./schemas";

const tags = ["transactions"];
const IdParam = z.object({ id: AccountId });
const TxParam = z.object({ id: AccountId, tx_id: EntryId });
const Posted = Transaction.extend({ balance: Balance }).openapi("PostedTransaction");

const createTx = createRoute({
  method: "post",
  path: "/accounts/{id}/transactions",
  tags,
  operationId: "createTransaction",
  summary: "Post a transaction",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Appends one entry to the account's hash-chained journal, idempotently: a retry with the same Idempotency-Key and body gets the first reply byte for byte. A withdrawal, purchase or fee that would take the account below its floor is a 422 insufficient_funds.",
  request: { params: IdParam, headers: IdempotencyHeader, body: jsonBody(CreateTransactionBody) },
  responses: {
    201: idempotentResponse(Posted, "The journal entry and the balance after it"),
    ...errorResponses(...bodyErrors, 401, 404, 409, 422),
  },
});

const listTx = createRoute({
  method: "get",
  path: "/accounts/{id}/transactions",
  tags,
  operationId: "listTransactions",
  summary: "List transactions, newest first",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Newest first, filtered by event time (`from` inclusive, `to` exclusive), kind, category, merchant and amount; at most `limit` per page, then `next_cursor`.",
  request: {
    params: IdParam,
    query: TransactionFilters.extend({
      limit: Limit,
      cursor: Cursor,
    }),
  },
  responses: { 200: jsonResponse(listOf(Transaction), "A page of transactions"), ...errorResponses(400, 401, 404) },
});

const getTx = createRoute({
  method: "get",
  path: "/accounts/{id}/transactions/{tx_id}",
  tags,
  operationId: "getTransaction",
  summary: "Get one transaction",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "One journal entry, with `reverses` / `reversed_by` linking a reversal and its original.",
  request: { params: TxParam },
  responses: { 200: jsonResponse(Transaction, "The transaction"), ...errorResponses(400, 401, 404) },
});

const reverseTx = createRoute({
  method: "post",
  path: "/accounts/{id}/transactions/{tx_id}/reverse",
  tags,
  operationId: "reverseTransaction",
  summary: "Reverse a transaction (once)",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Posts the reversing entry of a deposit, withdrawal, purchase, refund, fee or interest, once; a second reversal is a 422 already_reversed. Transfer legs are reversed by a transfer instead. The body is optional and has no fields.",
  request: { params: TxParam, headers: IdempotencyHeader, body: optionalJsonBody(NoFields) },
  responses: { 201: idempotentResponse(Posted, "The reversing entry"), ...errorResponses(...bodyErrors, 401, 404, 409, 422) },
});

export const transactionsRouter = createRouter()
  .openapi(createTx, async (c) => {
    const key = idempotencyKey(c);
    const body = c.req.valid("json");
    // Checked here too, so a bad event time is a plain 400 the client can fix and retry under the same key.
    if (body.occurred_at) {
      try {
        validateOccurredAt(body.occurred_at, Date.now(), backdateDays(c.env));
      } catch (err) {
        // Name the field, as every other date error does.
        if (err instanceof DomainError && err.details === undefined) throw new DomainError(err.code, err.message, { field: "occurred_at" });
        throw err;
      }
    }
    return sendReply(await accountStub(c.env, c.req.valid("param").id).postTransaction(callerOf(c), key, body));
  })
  .openapi(listTx, async (c) => {
    const { cursor, ...filter } = c.req.valid("query");
    checkInstantRange(filter.from, filter.to);
    return sendReply(
      await accountStub(c.env, c.req.valid("param").id).listTransactions(callerOf(c), {
        ...filter,
        before_seq: cursor ? Number(cursor) : undefined,
      }),
    );
  })
  .openapi(getTx, async (c) => {
    const { id, tx_id } = c.req.valid("param");
    return sendReply(await accountStub(c.env, id).getTransaction(callerOf(c), tx_id));
  })
  .openapi(reverseTx, async (c) => {
    const key = idempotencyKey(c);
    const { id, tx_id } = c.req.valid("param");
    return sendReply(await accountStub(c.env, id).reverse(callerOf(c), key, tx_id));
  });
