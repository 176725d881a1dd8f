/**
 * /v1/payments: payments out of the platform to a payee. A payment lives in
 * its source account's AccountDO (its id names the account), which holds the
 * amount at once (202 pending); the payments queue (queues/payments.ts)
 * drives it to success or failed. Another user's payment is a 404.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { DomainError } from "../domain/errors";
import { paymentAccount } from "../domain/ids";
import { checkInstantRange } from "../domain/calendar";
import { payeeOf } from "../db/payees";
import { accountStub, callerOf, idempotencyKey, sendReply } from "../lib/account-rpc";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { accountScope, newestFirst, okPages } from "../lib/merge-pages";
import {
  bearerSecurity,
  bodyErrors,
  createRouter,
  errorResponses,
  idempotentResponse,
  jsonBody,
  jsonResponse,
  optionalJsonBody,
  NoFields,
} from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { CreatePaymentBody, Payment, PaymentParam, PaymentQuery, PaymentWithHistory } from "./payment-schemas";
import { IdempotencyHeader, listOf } from "./schemas";

const tags = ["payments"];
const Cursor = z.object({ t: z.string().max(40), i: z.string().max(60) });

const createPayment = createRoute({
  method: "post",
  path: "/payments",
  tags,
  operationId: "createPayment",
  summary: "Pay a payee from one of your accounts",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "202 pending: the amount is held on the account at once (422 insufficient_funds otherwise) and the payment is processed asynchronously: pending → processing → success (the hold is posted as a withdrawal) or failed (the hold is released, with a reason). Each status change is an event, a notification and, per your preferences, an email and a webhook.",
  request: { headers: IdempotencyHeader, body: jsonBody(CreatePaymentBody) },
  responses: { 202: idempotentResponse(Payment, "Accepted: pending"), ...errorResponses(...bodyErrors, 401, 404, 409, 422) },
});

const listPayments = createRoute({
  method: "get",
  path: "/payments",
  tags,
  operationId: "listPayments",
  summary: "List your payments, newest first",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Filter by status, account and creation time (from inclusive, to exclusive); at most `limit` per page, then `next_cursor`.",
  request: { query: PaymentQuery },
  responses: { 200: jsonResponse(listOf(Payment), "A page of payments"), ...errorResponses(400, 401) },
});

const getPayment = createRoute({
  method: "get",
  path: "/payments/{id}",
  tags,
  operationId: "getPayment",
  summary: "Get a payment with its status history",
  description:
    "One of the caller's payments with every status change it went through (pending, processing, success, failed, canceled) and its reason; another user's payment is a 404.",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: PaymentParam },
  responses: { 200: jsonResponse(PaymentWithHistory, "The payment"), ...errorResponses(400, 401, 404) },
});

const cancelPayment = createRoute({
  method: "post",
  path: "/payments/{id}/cancel",
  tags,
  operationId: "cancelPayment",
  summary: "Cancel a payment that is still pending",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Releases the hold. Once processing has begun it is 422 invalid_state; canceling a canceled payment answers it again. The body is optional and has no fields.",
  request: { params: PaymentParam, body: optionalJsonBody(NoFields) },
  responses: { 200: jsonResponse(Payment, "Canceled"), ...errorResponses(...bodyErrors, 401, 404, 422) },
});

function accountOf(paymentId: string): string {
  const a = paymentAccount(paymentId);
  if (!a) throw new DomainError("not_found", "Payment not found");
  return a;
}

const iso = (s: string | undefined) => (s === undefined ? undefined : new Date(s).toISOString());

export const paymentsRouter = createRouter()
  .openapi(createPayment, async (c) => {
    const key = idempotencyKey(c);
    const { from_account_id, payee_id, amount, memo } = c.req.valid("json");
    const caller = callerOf(c);
    if (!(await payeeOf(c.env.DB, caller.userId, payee_id))) throw new DomainError("not_found", "Payee not found");
    return sendReply(await accountStub(c.env, from_account_id).createPayment(caller, key, { payee_id, amount, memo }));
  })
  .openapi(listPayments, async (c) => {
    const { cursor, account_id, limit, status, from, to } = c.req.valid("query");
    checkInstantRange(from, to);
    const after = decodeCursor(cursor, Cursor);
    const caller = callerOf(c);
    const ids = await accountScope(c.env, caller.userId, account_id);
    const filter = { status, from: iso(from), to: iso(to), limit, before: after ? { at: after.t, id: after.i } : undefined };
    const results = await Promise.all(ids.map((id) => accountStub(c.env, id).listPayments(caller, filter)));
    const pages = okPages(results);
    const { last, ...page } = newestFirst(
      pages.flatMap((p) => p.data),
      (r) => [r.created_at, r.id],
      limit,
      pages,
    );
    return c.json({ ...page, next_cursor: last ? encodeCursor({ t: last.created_at, i: last.id }) : null }, 200);
  })
  .openapi(getPayment, async (c) => {
    const { id } = c.req.valid("param");
    return sendReply(await accountStub(c.env, accountOf(id)).getPayment(callerOf(c), id));
  })
  .openapi(cancelPayment, async (c) => {
    const { id } = c.req.valid("param");
    return sendReply(await accountStub(c.env, accountOf(id)).cancelPayment(callerOf(c), id));
  });
