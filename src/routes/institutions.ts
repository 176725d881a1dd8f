/**
 * /v1/institutions: the banks. Everyone signed in lists (filter by name and
 * code, keyset cursor by name) and reads them; admins create and update
 * them, each change in the audit log.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { recordAudit } from "../db/audit";
import { getInstitution, type InstitutionRow, insertInstitution, listInstitutions, updateInstitution } from "../db/institutions";
import { DomainError } from "../domain/errors";
import { newInstitutionId } from "../domain/ids";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAdmin, requireAuth } from "../middleware/auth";
import { CreateInstitutionBody, Institution, InstitutionParam, InstitutionQuery, UpdateInstitutionBody } from "./institution-schemas";
import { listOf } from "./schemas";

const tags = ["institutions"];
const Cursor = z.object({ n: z.string().max(200), i: z.string().max(40) });

const list = createRoute({
  method: "get",
  path: "/institutions",
  tags,
  operationId: "listInstitutions",
  summary: "List institutions by name",
  description: "Every signed-in user may list institutions, filtered by name substring or exact code, with a keyset cursor.",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { query: InstitutionQuery },
  responses: { 200: jsonResponse(listOf(Institution), "A page of institutions"), ...errorResponses(400, 401) },
});

const get = createRoute({
  method: "get",
  path: "/institutions/{id}",
  tags,
  operationId: "getInstitution",
  summary: "Get an institution",
  description: "One institution by id; 404 when it does not exist.",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  request: { params: InstitutionParam },
  responses: { 200: jsonResponse(Institution, "The institution"), ...errorResponses(400, 401, 404) },
});

const create = createRoute({
  method: "post",
  path: "/admin/institutions",
  tags: ["admin"],
  operationId: "createInstitution",
  summary: "Create an institution (admin, audited)",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()] as const,
  description: "The code is unique (409 when taken).",
  request: { body: jsonBody(CreateInstitutionBody) },
  responses: { 201: jsonResponse(Institution, "The institution"), ...errorResponses(...bodyErrors, 401, 403, 409) },
});

const update = createRoute({
  method: "patch",
  path: "/admin/institutions/{id}",
  tags: ["admin"],
  operationId: "updateInstitution",
  summary: "Update an institution (admin, audited)",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()] as const,
  description: "Only the fields given change. Turning one_account_per_type on applies to accounts opened from then on.",
  request: { params: InstitutionParam, body: jsonBody(UpdateInstitutionBody) },
  responses: { 200: jsonResponse(Institution, "The institution"), ...errorResponses(...bodyErrors, 401, 403, 404, 409) },
});

export function institutionView(r: InstitutionRow): z.infer<typeof Institution> {
  return {
    id: r.id,
    object: "institution",
    name: r.name,
    code: r.code,
    email: r.email,
    phone: r.phone,
    one_account_per_type: r.oneAccountPerType === 1,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  };
}

const codeTaken = () => new DomainError("conflict", "An institution with this code exists");

export const institutionsRouter = createRouter()
  .openapi(list, async (c) => {
    const { name, code, limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, Cursor);
    const rows = await listInstitutions(c.env.DB, { name, code, limit: limit + 1, after });
    const data = rows.slice(0, limit).map(institutionView);
    const last = rows.length > limit ? data[data.length - 1] : undefined;
    return c.json(
      { object: "list" as const, data, has_more: !!last, next_cursor: last ? encodeCursor({ n: last.name, i: last.id }) : null },
      200,
    );
  })
  .openapi(get, async (c) => {
    const row = await getInstitution(c.env.DB, c.req.valid("param").id);
    if (!row) throw new DomainError("not_found", "Institution not found");
    return c.json(institutionView(row), 200);
  })
  .openapi(create, async (c) => {
    const b = c.req.valid("json");
    const now = new Date().toISOString();
    const row: InstitutionRow = {
      id: newInstitutionId(),
      name: b.name,
      code: b.code,
      email: b.email ?? null,
      phone: b.phone ?? null,
      oneAccountPerType: b.one_account_per_type ? 1 : 0,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await insertInstitution(c.env.DB, row))) throw codeTaken();
    await recordAudit(c.env.DB, {
      actorId: c.get("principal").userId,
      action: "institution.create",
      targetType: "institution",
      targetId: row.id,
      requestId: c.get("requestId"),
      detail: { code: row.code },
    });
    return c.json(institutionView(row), 201);
  })
  .openapi(update, async (c) => {
    const { id } = c.req.valid("param");
    const { one_account_per_type, ...b } = c.req.valid("json");
    const change = {
      ...b,
      ...(one_account_per_type === undefined ? {} : { oneAccountPerType: one_account_per_type ? 1 : 0 }),
      updatedAt: new Date().toISOString(),
    };
    const row = await updateInstitution(c.env.DB, id, change);
    if (row === "code_taken") throw codeTaken();
    if (!row) throw new DomainError("not_found", "Institution not found");
    await recordAudit(c.env.DB, {
      actorId: c.get("principal").userId,
      action: "institution.update",
      targetType: "institution",
      targetId: id,
      requestId: c.get("requestId"),
      detail: { fields: Object.keys(c.req.valid("json")) },
    });
    return c.json(institutionView(row), 200);
  });
