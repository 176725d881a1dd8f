/**
 * Fixing a transaction the ledger way: PATCH changes its descriptive fields
 * by an annotation event (the journal row never changes); DELETE reverses it
 * with a reason and says so. The AccountDO applies every rule.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { accountStub, callerOf, idempotencyKey, sendReply } from "../lib/account-rpc";
import {
  bearerSecurity,
  bodyErrors,
  createRouter,
  errorResponses,
  idempotentResponse,
  jsonBody,
  jsonResponse,
  optionalJsonBody,
} from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { AnnotateTransactionBody, DeletedTransaction, DeleteTransactionBody } from "./activity-schemas";
import { AccountId, EntryId, Transaction } from "./schemas";

const tags = ["transactions"];
const TxParam = z.object({ id: AccountId, tx_id: EntryId });
const OptionalKey = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/)
    .optional()
    .openapi({
      description: "Optional: without one, the transaction id is the key, so repeating the delete answers as the first one did",
    }),
});

const annotateTx = createRoute({
  method: "patch",
  path: "/accounts/{id}/transactions/{tx_id}",
  tags,
  operationId: "annotateTransaction",
  summary: "Change a transaction's category, description, merchant, tags or notes",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Writes a `transaction_annotated` event; the amount, kind, sides and hash-chained journal row never change, and the latest annotation wins in every read (lists, budgets, Gold). Category, merchant and description cannot change on a reversal or a reversed transaction (422 invalid_state); tags and notes can. Changing nothing is a 200 with the transaction as it is.",
  request: { params: TxParam, body: jsonBody(AnnotateTransactionBody) },
  responses: {
    200: jsonResponse(Transaction, "The transaction with its new descriptive fields"),
    ...errorResponses(...bodyErrors, 401, 404, 422),
  },
});

const deleteTx = createRoute({
  method: "delete",
  path: "/accounts/{id}/transactions/{tx_id}",
  tags,
  operationId: "deleteTransaction",
  summary: "Delete a transaction (by reversing it)",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "The journal is append-only: the transaction stays, and a reversing entry on its event time cancels it in every balance, budget and aggregate. The reply says so (`deleted: true`, `reversal`). Transfer legs and reversals cannot be deleted (422).",
  request: { params: TxParam, headers: OptionalKey, body: optionalJsonBody(DeleteTransactionBody) },
  responses: {
    200: idempotentResponse(DeletedTransaction, "Deleted: the reversing entry and the balance after it"),
    ...errorResponses(...bodyErrors, 401, 404, 409, 422),
  },
});

export const transactionEditsRouter = createRouter()
  .openapi(annotateTx, async (c) => {
    const { id, tx_id } = c.req.valid("param");
    return sendReply(await accountStub(c.env, id).annotateTransaction(callerOf(c), tx_id, c.req.valid("json")));
  })
  .openapi(deleteTx, async (c) => {
    const { id, tx_id } = c.req.valid("param");
    const key = idempotencyKey(c, { optional: true });
    const body = c.req.valid("json") as { reason?: string } | undefined;
    return sendReply(await accountStub(c.env, id).deleteTransaction(callerOf(c), key, tx_id, body?.reason));
  });
