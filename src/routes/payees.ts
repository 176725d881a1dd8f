/**
 * /v1/payees: the caller's linked external accounts (D1, src/db/payees.ts).
 * The account reference is kept as its last 4 and a keyed hash only; another
 * user's payee is a 404, as is a deleted one.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { DomainError } from "../domain/errors";
import { newPayeeId } from "../domain/ids";
import { getInstitution } from "../db/institutions";
import { deletePayee, insertPayee, listPayees, MAX_PAYEES_PER_USER, type PayeeRow } from "../db/payees";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { masked, piiHash } from "../lib/pii";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse, noContent } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { CreatePayeeBody, PageQuery, Payee, PayeeParam } from "./payment-schemas";
import { listOf } from "./schemas";

const tags = ["payments"];
const Cursor = z.object({ t: z.string().max(40), i: z.string().max(40) });

const createPayee = createRoute({
  method: "post",
  path: "/payees",
  tags,
  operationId: "createPayee",
  summary: "Link an external account to pay",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: `The account reference is stored as its last 4 characters and a keyed hash, never in the clear. At most ${MAX_PAYEES_PER_USER} payees (422 beyond); an unknown institution_id is a 404.`,
  request: { body: jsonBody(CreatePayeeBody) },
  responses: { 201: jsonResponse(Payee, "The payee"), ...errorResponses(...bodyErrors, 401, 404, 422) },
});

const listPayeesRoute = createRoute({
  method: "get",
  path: "/payees",
  tags,
  operationId: "listPayees",
  summary: "List your payees, newest first",
  description: "The caller's payees (deleted ones left out), account reference masked to its last 4 characters. Keyset cursor.",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { query: PageQuery },
  responses: { 200: jsonResponse(listOf(Payee), "A page of payees"), ...errorResponses(400, 401) },
});

const deletePayeeRoute = createRoute({
  method: "delete",
  path: "/payees/{id}",
  tags,
  operationId: "deletePayee",
  summary: "Delete a payee",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "New payments to it are refused; payments already placed still settle. Another user's payee is a 404.",
  request: { params: PayeeParam },
  responses: { 204: noContent("Deleted"), ...errorResponses(400, 401, 404) },
});

export function payeeView(r: PayeeRow): z.infer<typeof Payee> {
  return {
    id: r.id,
    object: "payee",
    name: r.name,
    institution_id: r.institutionId,
    account_ref_masked: masked(r.accountLast4),
    created_at: r.createdAt,
  };
}

export const payeesRouter = createRouter()
  .openapi(createPayee, async (c) => {
    const body = c.req.valid("json");
    const userId = c.get("principal").userId;
    if (body.institution_id && !(await getInstitution(c.env.DB, body.institution_id)))
      throw new DomainError("not_found", "Institution not found");
    const row = {
      id: newPayeeId(),
      userId,
      name: body.name,
      institutionId: body.institution_id ?? null,
      accountLast4: body.account_ref.slice(-4),
      accountRefHash: await piiHash(c.get("config").pepper, "payee_ref", body.account_ref),
      createdAt: new Date().toISOString(),
    };
    if (!(await insertPayee(c.env.DB, row)))
      throw new DomainError("unprocessable", `At most ${MAX_PAYEES_PER_USER} payees`, { max: MAX_PAYEES_PER_USER });
    return c.json(payeeView({ ...row, deletedAt: null }), 201);
  })
  .openapi(listPayeesRoute, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, Cursor);
    const rows = await listPayees(c.env.DB, c.get("principal").userId, limit + 1, after && { at: after.t, id: after.i });
    const data = rows.slice(0, limit).map(payeeView);
    const last = rows.length > limit ? data[data.length - 1] : undefined;
    return c.json(
      { object: "list" as const, data, has_more: !!last, next_cursor: last ? encodeCursor({ t: last.created_at, i: last.id }) : null },
      200,
    );
  })
  .openapi(deletePayeeRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await deletePayee(c.env.DB, c.get("principal").userId, id, new Date().toISOString())))
      throw new DomainError("not_found", "Payee not found");
    return c.body(null, 204);
  });
