/**
 * The one way the admin role changes: an operator command
 * (`npm run admin:grant -- EMAIL`, `npm run admin:revoke -- EMAIL`,
 * scripts/admin-role.ts) runs these statements through `wrangler d1 execute`,
 * and tests run the very same text through `env.DB`. Each change updates
 * `users.role` and appends a row to `role_grants` in one execution, and only
 * for an existing user. Registration never grants a role, so nobody can race
 * an operator for an address; a session's role is re-read at every refresh.
 *
 * Pure string building with no runtime imports, so Node and workerd share it.
 * The email must match a strict pattern that admits no quote, and every other
 * value is validated and quoted, so the SQL cannot be broken out of.
 */

export type RoleAction = "grant" | "revoke";

export interface RoleChange {
  email: string;
  action: RoleAction;
  /** Who ran the command (e.g. `alice@ops-laptop`). */
  actor: string;
  reason: string;
  /** ISO-8601 time of the change. */
  at: string;
  /** The role granted or revoked (default admin); `feeder` may only post market data. */
  role?: GrantableRole;
}

export type GrantableRole = "admin" | "feeder";

// Lowercase local part and domain, as the API normalizes them; no quotes, spaces or control characters.
const EMAIL = /^[a-z0-9](?:[a-z0-9._%+-]{0,63})@[a-z0-9](?:[a-z0-9-]{0,62})(?:\.[a-z0-9](?:[a-z0-9-]{0,62}))+$/;
const FREE_TEXT = /^[\p{L}\p{N} .,:;_@()/#+-]{1,200}$/u;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;

/** The email as the API stores it (trimmed, lowercased), or an error for anything the strict pattern refuses. */
export function operatorEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !EMAIL.test(email)) throw new Error(`not an acceptable email address: ${JSON.stringify(raw)}`);
  return email;
}

function quoted(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new Error(`${what} has characters outside ${pattern}: ${JSON.stringify(value)}`);
  return `'${value.replaceAll("'", "''")}'`;
}

/**
 * The statements of one change, in order: the role update, the role_grants
 * row, the audit_log row and a final SELECT of the user's id and role (empty
 * when no user has the email, in which case the first three changed nothing).
 */
export function roleChangeStatements(change: RoleChange): string[] {
  const email = quoted(operatorEmail(change.email), EMAIL, "email");
  const action = change.action === "grant" ? "'grant'" : change.action === "revoke" ? "'revoke'" : null;
  if (!action) throw new Error(`unknown action ${JSON.stringify(change.action)}`);
  const granted = change.role ?? "admin";
  if (granted !== "admin" && granted !== "feeder") throw new Error(`unknown role ${JSON.stringify(change.role)}`);
  const role = change.action === "grant" ? `'${granted}'` : "'user'";
  const actor = quoted(change.actor, FREE_TEXT, "actor");
  const reason = quoted(change.reason, FREE_TEXT, "reason");
  const at = quoted(change.at, ISO_TIME, "time");
  return [
    `UPDATE users SET role = ${role} WHERE email = ${email}${change.action === "revoke" ? ` AND role = '${granted}'` : ""}`,
    `INSERT INTO role_grants (user_id, role, action, actor, reason, at) SELECT id, '${granted}', ${action}, ${actor}, ${reason}, ${at} FROM users WHERE email = ${email}`,
    // The audit log (src/db/audit.ts) records it too, as the admin API's role changes are.
    `INSERT INTO audit_log (at, actor_id, action, target_type, target_id, request_id, detail) SELECT ${at}, 'operator:' || ${actor}, 'user.role_${change.action}', 'user', id, NULL, json_object('role', '${granted}', 'reason', ${reason}) FROM users WHERE email = ${email}`,
    `SELECT id, role FROM users WHERE email = ${email}`,
  ];
}
