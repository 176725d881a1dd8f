/** GET /v1/admin/audit: the append-only audit log, newest first, filtered by actor, action, target and time. */
import { createRoute, z } from "@hono/zod-openapi";
import { listAudit } from "../db/audit";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAdmin, requireAuth } from "../middleware/auth";
import { AuditFilters, AuditRecordSchema } from "./admin-user-schemas";
import { listOf } from "./schemas";

const route = createRoute({
  method: "get",
  path: "/admin/audit",
  tags: ["admin"],
  operationId: "listAuditEntries",
  summary: "The audit log of admin and security actions, newest first",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()],
  description:
    "Who did what to which target, when, under which request id: user disable/enable/role changes, role grants by the operator command, password changes, session revocations, dead-letter replays and discards, pipeline replays and reconciliations. Entries are never changed or deleted, and never hold secrets.",
  request: { query: AuditFilters },
  responses: { 200: jsonResponse(listOf(AuditRecordSchema), "A page of entries"), ...errorResponses(400, 401, 403) },
});

const iso = (s: string | undefined) => (s === undefined ? undefined : new Date(s).toISOString());

export const adminAuditRouter = createRouter().openapi(route, async (c) => {
  const q = c.req.valid("query");
  const before = decodeCursor(q.cursor, z.tuple([z.number().int().positive()]));
  const rows = await listAudit(c.env.DB, {
    actorId: q.actor,
    action: q.action,
    targetType: q.target_type,
    targetId: q.target,
    from: iso(q.from),
    to: iso(q.to),
    beforeId: before?.[0],
    limit: q.limit,
  });
  const page = rows.slice(0, q.limit).map((r) => ({ ...r, object: "audit_entry" as const }));
  const more = rows.length > q.limit;
  const last = page.at(-1);
  return c.json({ object: "list" as const, data: page, has_more: more, next_cursor: more && last ? encodeCursor([last.id]) : null }, 200);
});
