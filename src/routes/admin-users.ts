/**
 * Users for admins: list and filter, disable and enable, change the role.
 * Each change is in the audit log. An admin cannot disable, enable or change
 * the role of their own account (422 self_modification): another admin must,
 * so nobody locks themselves or the last admin out by mistake.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { type AdminUserRow, getAdminUser, listAdminUsers } from "../db/admin-users";
import { DomainError } from "../domain/errors";
import { auditEntry } from "../lib/audit-context";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse, optionalJsonBody } from "../lib/router";
import { disableUser, enableUser, setRole } from "../lib/user-status";
import { requireAdmin, requireAuth } from "../middleware/auth";
import type { AppEnv } from "../types";
import { AdminUser, AdminUserFilters, RoleChangeBody, RoleChanged, StatusChangeBody, UserIdParam } from "./admin-user-schemas";
import { listOf } from "./schemas";

const tags = ["admin"];

const listRoute = createRoute({
  method: "get",
  path: "/admin/users",
  tags,
  operationId: "listUsers",
  summary: "Users, newest first, filtered by email, role and status",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()],
  description: "`email` matches part of the address (literally, any case). A cursor pages on.",
  request: { query: AdminUserFilters },
  responses: { 200: jsonResponse(listOf(AdminUser), "A page of users"), ...errorResponses(400, 401, 403) },
});

const statusRoute = <P extends string>(path: P, operationId: string, summary: string, description: string) =>
  createRoute({
    method: "post",
    path,
    tags,
    operationId,
    summary,
    security: bearerSecurity,
    middleware: [requireAuth(), requireAdmin()],
    description,
    request: { params: UserIdParam, body: optionalJsonBody(StatusChangeBody) },
    responses: { 200: jsonResponse(AdminUser, "The user now"), ...errorResponses(...bodyErrors, 401, 403, 404, 422) },
  });

const disableRoute = statusRoute(
  "/admin/users/{id}/disable",
  "disableUser",
  "Disable a user: sign them out everywhere and refuse sign-ins",
  "Every session ends at once (the user's access tokens are refused from the next request, their refresh tokens are revoked) and login answers like a wrong password until enabled. Idempotent. Your own account is a 422.",
);
const enableRoute = statusRoute(
  "/admin/users/{id}/enable",
  "enableUser",
  "Enable a disabled user",
  "Sign-ins work again; the sessions that ended stay ended. Idempotent. Your own account is a 422.",
);

const roleRoute = createRoute({
  method: "patch",
  path: "/admin/users/{id}/role",
  tags,
  operationId: "changeUserRole",
  summary: "Change a user's role",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()],
  description:
    "Recorded in role_grants and the audit log. Taking a privilege away (admin to anything, feeder to user) signs the user out everywhere so the old role ends now; a grant reaches their sessions at the next refresh. Your own account is a 422.",
  request: { params: UserIdParam, body: jsonBody(RoleChangeBody) },
  responses: { 200: jsonResponse(RoleChanged, "The user with the new role"), ...errorResponses(...bodyErrors, 401, 403, 404, 422) },
});

function view(u: AdminUserRow) {
  return {
    id: u.id,
    object: "user" as const,
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.disabled_at ? ("disabled" as const) : ("active" as const),
    created_at: u.created_at,
    disabled_at: u.disabled_at,
  };
}

/** The target user, never the caller. */
async function target(c: Context<AppEnv>, id: string): Promise<AdminUserRow> {
  const user = await getAdminUser(c.env.DB, id);
  if (!user) throw new DomainError("not_found", "No such user");
  if (user.id === c.get("principal").userId)
    throw new DomainError("self_modification", "Admins cannot change their own account here; ask another admin");
  return user;
}

const reasonOf = (body: unknown) => (body as { reason?: string } | undefined)?.reason;

export const adminUsersRouter = createRouter()
  .openapi(listRoute, async (c) => {
    const { email, role, status, limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, z.tuple([z.string(), z.string()]));
    const rows = await listAdminUsers(c.env.DB, { email, role, status, after, limit });
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const more = rows.length > limit;
    return c.json(
      {
        object: "list" as const,
        data: page.map(view),
        has_more: more,
        next_cursor: more && last ? encodeCursor([last.created_at, last.id]) : null,
      },
      200,
    );
  })
  .openapi(disableRoute, async (c) => {
    const user = await target(c, c.req.valid("param").id);
    const reason = reasonOf(c.req.valid("json"));
    await disableUser(c.env, user, auditEntry(c, "user.disable", "user", user.id, { reason, was_disabled: !!user.disabled_at }));
    return c.json(view((await getAdminUser(c.env.DB, user.id)) ?? user), 200);
  })
  .openapi(enableRoute, async (c) => {
    const user = await target(c, c.req.valid("param").id);
    const reason = reasonOf(c.req.valid("json"));
    await enableUser(c.env, user, auditEntry(c, "user.enable", "user", user.id, { reason, was_disabled: !!user.disabled_at }));
    return c.json(view((await getAdminUser(c.env.DB, user.id)) ?? user), 200);
  })
  .openapi(roleRoute, async (c) => {
    const user = await target(c, c.req.valid("param").id);
    const { role, reason } = c.req.valid("json");
    const entry = auditEntry(c, "user.role_change", "user", user.id, { from: user.role, to: role, reason });
    const { signedOut } = await setRole(c.env, user, role, reason ?? "admin API", entry);
    const now = (await getAdminUser(c.env.DB, user.id)) ?? user;
    return c.json({ ...view(now), signed_out_sessions: signedOut }, 200);
  });
