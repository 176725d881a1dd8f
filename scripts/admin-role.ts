/**
 * `npm run admin:grant -- EMAIL [--remote] [--reason TEXT] [--actor NAME] [--persist-to DIR]`
 * `npm run admin:revoke -- EMAIL [...same flags]`
 * `--role feeder` grants or revokes the market-data feeder role instead of admin.
 *
 * The only way to make or unmake an admin: runs the statements of
 * src/auth/role-grants.ts (role update + audit row in `role_grants`) with
 * `wrangler d1 execute DB --local|--remote`. The user must already exist; the
 * change reaches their sessions at the next refresh (at most one access-token
 * lifetime, 15 minutes). Arguments are passed to wrangler without a shell.
 */
import os from "node:os";
import { type GrantableRole, type RoleAction, operatorEmail, roleChangeStatements } from "../src/auth/role-grants";
import { exitOf, spawnWrangler } from "./lib/stack.mjs";

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(
    "usage: npm run admin:grant|admin:revoke -- EMAIL [--remote] [--reason TEXT] [--actor NAME] [--persist-to DIR] [--role admin|feeder]",
  );
  process.exit(2);
}

function parse(argv: string[]) {
  const [action, ...rest] = argv;
  if (action !== "grant" && action !== "revoke") usage(`unknown action ${action}`);
  let email: string | undefined;
  let remote = false;
  let reason = "operator command";
  let actor = `${os.userInfo().username}@${os.hostname()}`;
  let persistTo: string | undefined;
  let role: GrantableRole = "admin";
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    const value = () => rest[++i] ?? usage(`${a} needs a value`);
    if (a === "--remote") remote = true;
    else if (a === "--local") remote = false;
    else if (a === "--reason") reason = value();
    else if (a === "--actor") actor = value();
    else if (a === "--persist-to") persistTo = value();
    else if (a === "--role") {
      const r = value();
      if (r !== "admin" && r !== "feeder") usage(`--role is admin or feeder, not ${r}`);
      role = r;
    } else if (a.startsWith("-")) usage(`unknown flag ${a}`);
    else if (email === undefined) email = a;
    else usage("exactly one EMAIL");
  }
  if (email === undefined) usage("EMAIL is required");
  if (remote && persistTo) usage("--persist-to is for --local only");
  return { action: action as RoleAction, email, remote, reason, actor, persistTo, role };
}

async function main() {
  const opts = parse(process.argv.slice(2));
  let statements: string[];
  try {
    statements = roleChangeStatements({ ...opts, email: operatorEmail(opts.email), at: new Date().toISOString() });
  } catch (err) {
    usage(err instanceof Error ? err.message : String(err));
  }
  const args = ["d1", "execute", "DB", opts.remote ? "--remote" : "--local", "--json", "--command", `${statements.join(";\n")};`];
  if (opts.persistTo) args.push("--persist-to", opts.persistTo);
  const child = spawnWrangler(args, { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout!.on("data", (chunk: Buffer) => {
    out += chunk.toString("utf8");
  });
  const code = await exitOf(child);
  if (code !== 0) {
    console.error(out);
    throw new Error(`wrangler d1 execute exited with ${code}`);
  }
  const results = JSON.parse(out.slice(out.indexOf("["))) as { results?: { id: string; role: string }[] }[];
  const user = results.at(-1)?.results?.[0];
  if (!user) {
    console.error(`no user has the email ${operatorEmail(opts.email)}; nothing changed (they must register first)`);
    process.exit(1);
  }
  console.log(`${opts.action === "grant" ? "granted" : "revoked"} ${opts.role}: ${user.id} is now ${user.role} (recorded in role_grants)`);
}

await main();
