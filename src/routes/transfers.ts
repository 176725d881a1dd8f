/**
 * Transfers between accounts, two-phase across two AccountDOs. The transfer
 * lives in its source account (its id names it), which must be the caller's;
 * the destination may be anyone's open account in the same currency.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Result } from "../../durable/account/api";
import { TRANSFER_REJECTED } from "../domain/account/decide-transfer";
import { DomainError } from "../domain/errors";
import { transferSource } from "../domain/ids";
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
import { refusedDestinationLimited } from "../middleware/rate-limit";
import { Amount, CreateTransferBody, IdempotencyHeader, Transfer, TransferId } from "./schemas";

const tags = ["transfers"];
const IdParam = z.object({ id: TransferId });

const createTransfer = createRoute({
  method: "post",
  path: "/transfers",
  tags,
  operationId: "createTransfer",
  summary: "Create a transfer (immediate, or pending with a hold)",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Immediate: moves the money now (201). Pending: places a hold on the source that `post` settles or `void` releases, or that expires. 202 means the destination was unreachable: the transfer is in flight and the source finishes it by itself.",
  request: { headers: IdempotencyHeader, body: jsonBody(CreateTransferBody) },
  responses: {
    201: idempotentResponse(Transfer, "Posted (immediate) or pending"),
    202: idempotentResponse(Transfer, "Accepted: the destination was unreachable; the transfer is in flight and completes automatically"),
    ...errorResponses(...bodyErrors, 401, 404, 409, 422, 429),
  },
});

const getTransfer = createRoute({
  method: "get",
  path: "/transfers/{id}",
  tags,
  operationId: "getTransfer",
  summary: "Get a transfer you sent",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "A transfer from one of your accounts, with its status and whether money is in flight.",
  request: { params: IdParam },
  responses: { 200: jsonResponse(Transfer, "The transfer"), ...errorResponses(400, 401, 404) },
});

const postTransfer = createRoute({
  method: "post",
  path: "/transfers/{id}/post",
  tags,
  operationId: "postTransfer",
  summary: "Post a pending transfer, optionally for less (the rest is released)",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Settles a pending transfer, for its whole amount or for less (`amount`), releasing the rest. The body is optional: no body, an empty body and `{}` post the whole amount.",
  request: {
    params: IdParam,
    headers: IdempotencyHeader,
    body: optionalJsonBody(
      z
        .object({
          amount: Amount.optional().openapi({ description: "Post less than the hold; the rest is released. Default: the whole amount" }),
        })
        .strict()
        .openapi("PostTransfer"),
    ),
  },
  responses: {
    200: idempotentResponse(Transfer, "Posted"),
    202: idempotentResponse(Transfer, "In flight"),
    ...errorResponses(...bodyErrors, 401, 404, 409, 422),
  },
});

const voidTransfer = createRoute({
  method: "post",
  path: "/transfers/{id}/void",
  tags,
  operationId: "voidTransfer",
  summary: "Void a pending transfer, releasing its hold",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Releases a pending transfer's hold; nothing moves. The body is optional and has no fields.",
  request: { params: IdParam, headers: IdempotencyHeader, body: optionalJsonBody(NoFields) },
  responses: { 200: idempotentResponse(Transfer, "Voided"), ...errorResponses(...bodyErrors, 401, 404, 409, 422) },
});

function sourceOf(transferId: string): string {
  const source = transferSource(transferId);
  if (!source) throw new DomainError("not_found", "Transfer not found");
  return source;
}

export const transfersRouter = createRouter()
  .openapi(createTransfer, async (c) => {
    const key = idempotencyKey(c);
    const { from_account_id, ...cmd } = c.req.valid("json");
    const reply = await accountStub(c.env, from_account_id).createTransfer(callerOf(c), key, cmd);
    // Probing ids for accounts that exist costs a refusal each: 5 a minute, then 429 (README "Transfer destinations").
    // The RPC stub types the reply as its success shape only; it is the full Result.
    const result = reply as unknown as Result<unknown>;
    const refused = result.ok ? null : result.error;
    const refusedDestination = refused?.code === "transfer_rejected" && refused.message === TRANSFER_REJECTED;
    if (refusedDestination && !reply.replayed) {
      const limited = await refusedDestinationLimited(c);
      if (limited) return limited;
    }
    return sendReply(reply);
  })
  .openapi(getTransfer, async (c) => {
    const { id } = c.req.valid("param");
    return sendReply(await accountStub(c.env, sourceOf(id)).getTransfer(callerOf(c), id));
  })
  .openapi(postTransfer, async (c) => {
    const key = idempotencyKey(c);
    const { id } = c.req.valid("param");
    // No body, an empty one and {} arrive here alike (middleware/json-body.ts).
    const body = c.req.valid("json");
    return sendReply(await accountStub(c.env, sourceOf(id)).postTransfer(callerOf(c), key, id, body.amount));
  })
  .openapi(voidTransfer, async (c) => {
    const key = idempotencyKey(c);
    const { id } = c.req.valid("param");
    return sendReply(await accountStub(c.env, sourceOf(id)).voidTransfer(callerOf(c), key, id));
  });
