/**
 * Grants and revokes the admin role exactly as the operator command does
 * (`npm run admin:grant|admin:revoke`): the same statements from
 * src/auth/role-grants.ts, run through `env.DB` instead of `wrangler d1 execute`.
 */
import { env } from "cloudflare:workers";
import { type RoleAction, roleChangeStatements } from "../../src/auth/role-grants";

/** The user's id and new role, or null when no user has the email (nothing changed then). */
export async function changeRole(
  action: RoleAction,
  email: string,
  opts: { actor?: string; reason?: string } = {},
): Promise<{ id: string; role: string } | null> {
  const statements = roleChangeStatements({
    action,
    email,
    actor: opts.actor ?? "test-operator",
    reason: opts.reason ?? "test",
    at: new Date().toISOString(),
  });
  const results = await env.DB.batch<{ id: string; role: string }>(statements.map((s) => env.DB.prepare(s)));
  return results.at(-1)?.results[0] ?? null;
}

export const grantAdmin = (email: string, opts?: { actor?: string; reason?: string }) => changeRole("grant", email, opts);
export const revokeAdmin = (email: string, opts?: { actor?: string; reason?: string }) => changeRole("revoke", email, opts);
