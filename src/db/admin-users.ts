/**
 * Users as admins see them (GET /v1/admin/users): the D1 `users` rows with
 * their status from `user_status`, filtered by email (a substring), role and
 * status, newest first with a keyset cursor; and the D1 half of disable,
 * enable and a role change, each batched with its audit row.
 */
import type { Role } from "../auth/access-token";
import { type AuditEntry, auditStatement } from "./audit";

export interface AdminUserRow {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  created_at: string;
  disabled_at: string | null;
}

export interface AdminUserQuery {
  email?: string;
  role?: Role;
  status?: "active" | "disabled";
  after?: [string, string] | null;
  limit: number;
}

const SELECT = `SELECT u.id, u.email, u.name, u.role, u.created_at, s.disabled_at
  FROM users u LEFT JOIN user_status s ON s.user_id = u.id`;

/** A page of users, newest first; one more row than `limit` when there is a next page. */
export async function listAdminUsers(db: D1Database, q: AdminUserQuery): Promise<AdminUserRow[]> {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.email) {
    // instr, not LIKE: the text is literal, and D1 caps LIKE patterns at 50 bytes.
    args.push(q.email.toLowerCase());
    where.push(`instr(u.email, ?${args.length}) > 0`);
  }
  if (q.role) {
    args.push(q.role);
    where.push(`u.role = ?${args.length}`);
  }
  if (q.status) where.push(q.status === "disabled" ? "s.user_id IS NOT NULL" : "s.user_id IS NULL");
  if (q.after) {
    args.push(q.after[0], q.after[1]);
    where.push(`(u.created_at < ?${args.length - 1} OR (u.created_at = ?${args.length - 1} AND u.id < ?${args.length}))`);
  }
  args.push(q.limit + 1);
  const sql = `${SELECT}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY u.created_at DESC, u.id DESC LIMIT ?${args.length}`;
  const { results } = await db
    .prepare(sql)
    .bind(...args)
    .all<AdminUserRow>();
  return results;
}

export async function getAdminUser(db: D1Database, id: string): Promise<AdminUserRow | null> {
  return db.prepare(`${SELECT} WHERE u.id = ?1`).bind(id).first<AdminUserRow>();
}

/** Marks the user disabled unless already, with the audit row (every call is one); true when this call disabled them. */
export async function markDisabled(db: D1Database, userId: string, audit: AuditEntry, now = Date.now()): Promise<boolean> {
  const [insert] = await db.batch([
    db
      .prepare("INSERT INTO user_status (user_id, disabled_at, disabled_by) VALUES (?1, ?2, ?3) ON CONFLICT (user_id) DO NOTHING")
      .bind(userId, new Date(now).toISOString(), audit.actorId),
    auditStatement(db, audit, now),
  ]);
  return (insert?.meta.changes ?? 0) > 0;
}

/** Lifts the disable (with the audit row); true when the user was disabled. */
export async function markEnabled(db: D1Database, userId: string, audit: AuditEntry, now = Date.now()): Promise<boolean> {
  const [del] = await db.batch([db.prepare("DELETE FROM user_status WHERE user_id = ?1").bind(userId), auditStatement(db, audit, now)]);
  return (del?.meta.changes ?? 0) > 0;
}

/**
 * Sets the role, appends the `role_grants` row the operator command writes
 * too (a grant of the new role, or a revocation of the old one when the new
 * one is `user`) and the audit row, in one batch.
 */
export async function changeRole(db: D1Database, user: AdminUserRow, role: Role, reason: string, audit: AuditEntry, now = Date.now()) {
  const at = new Date(now).toISOString();
  const grant = role === "user" ? { role: user.role, action: "revoke" } : { role, action: "grant" };
  await db.batch([
    db.prepare("UPDATE users SET role = ?1 WHERE id = ?2").bind(role, user.id),
    db
      .prepare("INSERT INTO role_grants (user_id, role, action, actor, reason, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
      .bind(user.id, grant.role, grant.action, audit.actorId, reason, at),
    auditStatement(db, audit, now),
  ]);
}
