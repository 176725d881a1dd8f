/**
 * D1 tables for operations (issue 13): the append-only audit log of every
 * admin and security action (written only through src/db/audit.ts, which has
 * no update or delete), and which users an admin disabled (the UserDO holds
 * the flag that refuses sessions; this row makes users filterable by status).
 */
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** ISO-8601 time of the action. */
    at: text("at").notNull(),
    /** A user id, or `operator:<name>` for the command line, or `system:<job>`. */
    actorId: text("actor_id").notNull(),
    /** Dotted, e.g. `user.disable`, `user.role_change`, `dead_letter.replay`. */
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    requestId: text("request_id"),
    /** JSON object, scrubbed of secrets by recordAudit. */
    detail: text("detail"),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at, t.id),
    index("audit_log_actor_idx").on(t.actorId, t.id),
    index("audit_log_action_idx").on(t.action, t.id),
    index("audit_log_target_idx").on(t.targetType, t.targetId, t.id),
  ],
);

export const userStatus = sqliteTable("user_status", {
  userId: text("user_id").primaryKey(),
  disabledAt: text("disabled_at").notNull(),
  disabledBy: text("disabled_by").notNull(),
});
