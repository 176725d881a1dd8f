/**
 * Transfers between accounts, two-phase across two AccountDOs. The transfer
 * lives in its source account (its id names it), which must be the caller's;
 * the destination may be anyone's open account in the same currency.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { DomainError } from "../domain/errors";
import { transferSource } from "../domain/ids";
import { accountStub, callerOf, idempotencyKey, sendReply } from "../lib/account-rpc";
import { bearerSecurity, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { Amount, CreateTransferBody, IdempotencyHeader, Transfer, TransferId } from "./schemas";

const tags = ["transfers"];
const IdParam = z.object({ id: TransferId });

const createTransfer = createRoute({
  method: "post", path: "/transfers", tags, summary: "Create a transfer (immediate, or pending with a hold)", security: bearerSecurity, middleware: [requireAuth()] as const,
  request: { headers: IdempotencyHeader, body: jsonBody(CreateTransferBody) },
  responses: {
    201: jsonResponse(Transfer, "Posted (immediate) or pending"),
    202: jsonResponse(Transfer, "Accepted: the destination was unreachable; the transfer is in flight and completes automatically"),
    ...errorResponses(400, 401, 404, 409, 422),
  },
});

const getTransfer = createRoute({
  method: "get", path: "/transfers/{id}", tags, summary: "Get a transfer you sent", security: bearerSecurity, middleware: [requireAuth()] as const,
  request: { params: IdParam },
  responses: { 200: jsonResponse(Transfer, "The transfer"), ...errorResponses(400, 401, 404) },
});

const postTransfer = createRoute({
  method: "post", path: "/transfers/{id}/post", tags, summary: "Post a pending transfer, optionally for less (the rest is released)", security: bearerSecurity, middleware: [requireAuth()] as const,
  request: {
    params: IdParam,
    headers: IdempotencyHeader,
    body: { required: false, content: { "application/json": { schema: z.object({ amount: Amount.optional() }).strict() } } },
  },
  responses: { 200: jsonResponse(Transfer, "Posted"), 202: jsonResponse(Transfer, "In flight"), ...errorResponses(400, 401, 404, 409, 422) },
});

const voidTransfer = createRoute({
  method: "post", path: "/transfers/{id}/void", tags, summary: "Void a pending transfer, releasing its hold", security: bearerSecurity, middleware: [requireAuth()] as const,
  request: { params: IdParam, headers: IdempotencyHeader },
  responses: { 200: jsonResponse(Transfer, "Voided"), ...errorResponses(400, 401, 404, 409, 422) },
});

function sourceOf(transferId: string): string {
  const source = transferSource(transferId);
  if (!source) throw new DomainError("not_found", "Transfer not found");
  return source;
}

export const transfersRouter = createRouter();

transfersRouter.openapi(createTransfer, async (c) => {
  const key = idempotencyKey(c);
  const { from_account_id, ...cmd } = c.req.valid("json");
  return sendReply(await accountStub(c.env, from_account_id).createTransfer(callerOf(c), key, cmd));
});

transfersRouter.openapi(getTransfer, async (c) => {
  const { id } = c.req.valid("param");
  return sendReply(await accountStub(c.env, sourceOf(id)).getTransfer(callerOf(c), id));
});

transfersRouter.openapi(postTransfer, async (c) => {
  const key = idempotencyKey(c);
  const { id } = c.req.valid("param");
  const body = c.req.header("content-length") === "0" || !c.req.header("content-type") ? {} : c.req.valid("json");
  return sendReply(await accountStub(c.env, sourceOf(id)).postTransfer(callerOf(c), key, id, body?.amount));
});

transfersRouter.openapi(voidTransfer, async (c) => {
  const key = idempotencyKey(c);
  const { id } = c.req.valid("param");
  return sendReply(await accountStub(c.env, sourceOf(id)).voidTransfer(callerOf(c), key, id));
});
