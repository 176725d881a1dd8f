/**
 * Disable, enable and role changes as an admin makes them. The UserDO acts
 * first: its sessions end at once, so every access token of the user is
 * refused by requireAuth's session check from the next request on (in other
 * isolates within SESSION_CACHE_MS), and it refuses new sessions, so login
 * fails like a wrong password. Then every refresh token is revoked in D1, and
 * the status row and the audit row are written together.
 */
import { drizzle } from "drizzle-orm/d1";
import type { Role } from "../auth/access-token";
import { revokeUserFamilies } from "../auth/refresh-tokens";
import { userObject } from "../auth/sessions";
import { type AdminUserRow, changeRole, markDisabled, markEnabled } from "../db/admin-users";
import type { AuditEntry } from "../db/audit";

export async function disableUser(env: Env, user: AdminUserRow, audit: AuditEntry): Promise<boolean> {
  await userObject(env, user.id).disable();
  await revokeUserFamilies(drizzle(env.DB), user.id);
  return markDisabled(env.DB, user.id, audit);
}

export async function enableUser(env: Env, user: AdminUserRow, audit: AuditEntry): Promise<boolean> {
  await userObject(env, user.id).enable();
  return markEnabled(env.DB, user.id, audit);
}

const RANK: Record<Role, number> = { user: 0, feeder: 1, admin: 2 };

/**
 * A role change. One that takes a privilege away (admin to anything, feeder
 * to user) also signs the user out everywhere, so the old role ends now
 * rather than at the access token's expiry; a grant reaches the user's
 * sessions at their next refresh, as the operator command's does.
 */
export async function setRole(env: Env, user: AdminUserRow, role: Role, reason: string, audit: AuditEntry): Promise<{ signedOut: number }> {
  if (role === user.role) return { signedOut: 0 }; // nothing to change, nothing to record
  const demoted = RANK[role] < RANK[user.role];
  await changeRole(env.DB, user, role, reason, audit);
  if (!demoted) return { signedOut: 0 };
  const signedOut = await userObject(env, user.id).revokeAllSessions();
  await revokeUserFamilies(drizzle(env.DB), user.id);
  return { signedOut };
}
