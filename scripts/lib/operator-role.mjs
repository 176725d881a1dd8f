/**
 * Grants or revokes a role through the operator command (scripts/admin-role.ts,
 * `wrangler d1 execute` on the server's own local D1): how the dev seeders get
 * the feeder and admin roles they need, audited like any operator grant.
 * `storage` holds the wrangler flags that locate that D1 (`[]` for the default).
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { exitOf, ROOT } from "./stack.mjs";

/**
 * @param {"grant" | "revoke"} action
 * @param {string} email
 * @param {{ role: "admin" | "feeder", reason: string, storage: string[] }} opts
 */
export async function operatorRole(action, email, { role, reason, storage }) {
  const args = [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), path.join(ROOT, "scripts/admin-role.ts"), action, email];
  args.push("--role", role, "--actor", "dev-seed", "--reason", reason, ...storage);
  const code = await exitOf(spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] }));
  if (code !== 0) throw new Error(`${action} of the ${role} role for ${email} exited with ${code}`);
}
