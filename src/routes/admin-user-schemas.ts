/** Schemas of the admin user and audit routes (src/routes/admin-users.ts, admin-audit.ts). */
import { z } from "@hono/zod-openapi";
import { Instant } from "./date-schemas";
import { IdParam, PageCursor, PageLimit } from "./pipeline-schemas";
import { text } from "./text-schemas";

export const UserIdParam = IdParam(/^usr_[0-9a-z]{1,40}$/, "usr_0123456789abcdefghjk");
const RoleEnum = z.enum(["user", "admin", "feeder"]);

export const AdminUser = z
  .object({
    id: z.string().openapi({ example: "usr_0123456789abcdefghjk" }),
    object: z.literal("user"),
    email: z.string().openapi({ example: "ada@example.com" }),
    name: z.string().nullable(),
    role: RoleEnum,
    status: z.enum(["active", "disabled"]),
    created_at: z.string(),
    disabled_at: z.string().nullable(),
  })
  .openapi("AdminUser");

export const AdminUserFilters = z.object({
  email: z.string().trim().min(1).max(254).optional().openapi({ description: "Part of the address, matched literally, any case" }),
  role: RoleEnum.optional(),
  status: z.enum(["active", "disabled"]).optional(),
  limit: PageLimit(200, 50),
  cursor: PageCursor,
});

export const StatusChangeBody = z
  .object({ reason: text(200).optional().openapi({ description: "Kept in the audit log" }) })
  .strict()
  .openapi("UserStatusChange");

export const RoleChangeBody = z
  .object({ role: RoleEnum, reason: text(200).optional().openapi({ description: "Kept in role_grants and the audit log" }) })
  .strict()
  .openapi("UserRoleChange");

export const RoleChanged = AdminUser.extend({
  signed_out_sessions: z.number().int().openapi({ description: "Sessions ended because the change took a privilege away" }),
}).openapi("AdminUserRoleChanged");

export const AuditRecordSchema = z
  .object({
    id: z.number().int(),
    object: z.literal("audit_entry"),
    at: z.string().openapi({ example: "2026-12-03T12:00:00.000Z" }),
    actor_id: z.string().openapi({ description: "A user id, `operator:<name>` (the command line) or `system:<part>`" }),
    action: z.string().openapi({ example: "user.disable" }),
    target_type: z.string().openapi({ example: "user" }),
    target_id: z.string().nullable(),
    request_id: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()).nullable().openapi({ description: "Context; never secrets" }),
  })
  .openapi("AuditEntry");

const Dotted = z
  .string()
  .regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, "must be a dotted name like user.disable")
  .max(100);
export const AuditFilters = z.object({
  actor: z.string().min(1).max(200).optional().openapi({ description: "actor_id, exactly" }),
  action: Dotted.optional(),
  target_type: z
    .string()
    .regex(/^[a-z0-9_]{1,100}$/)
    .optional(),
  target: z.string().min(1).max(200).optional().openapi({ description: "target_id, exactly" }),
  from: Instant.optional().openapi({ description: "Entries at or after this instant" }),
  to: Instant.optional().openapi({ description: "Entries before this instant (exclusive)" }),
  limit: PageLimit(200, 50),
  cursor: PageCursor,
});
