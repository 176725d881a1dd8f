/**
 * The benchmark's own `wrangler dev`: a free loopback port, a fresh temporary
 * state directory with migrations applied, secrets generated for this run only
 * (in an env file inside that directory, so the project's .dev.vars is never
 * read), and an admin email. `stop()` ends the process group and removes the
 * directory.
 */
import { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { applyMigrations, freePort, randomSecret, spawnWrangler, stopGroup, waitForHealth } from "../scripts/lib/stack.mjs";

export const BENCH_ADMIN = { email: "bench-admin@finedge.bench", password: "bench-admin-password-2026", name: "Bench Admin" };

export async function startBenchServer({ logLevel = process.env.BENCH_WRANGLER_LOG ?? "warn", extraArgs = [] } = {}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "finedge-bench-"));
  const state = path.join(dir, "state");
  const envFile = path.join(dir, "bench.env");
  const logFile = path.join(dir, "wrangler.log");
  writeFileSync(envFile, `ENVIRONMENT=development\nJWT_SECRET=${randomSecret()}\nPASSWORD_PEPPER=${randomSecret()}\n`, { mode: 0o600 });

  let child = null;
  const server = {
    dir,
    baseUrl: "",
    port: 0,
    inspectorPort: 0,
    logFile,
    /** Process group of wrangler and its workerd children (for CPU accounting). */
    get pgid() {
      return child?.pid ?? null;
    },
    /** The last lines wrangler printed, for error messages. */
    logTail(lines = 30) {
      try {
        return readFileSync(logFile, "utf8").split("\n").slice(-lines).join("\n");
      } catch {
        return "";
      }
    },
    async stop() {
      await stopGroup(child);
      child = null;
      if (process.env.BENCH_KEEP_STATE !== "1") rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    const log = createWriteStream(logFile);
    await new Promise((r) => log.once("open", r));
    await applyMigrations(["--persist-to", state], { stdio: ["ignore", log, log], env: { WRANGLER_LOG_PATH: path.join(dir, "logs") } });
    server.port = await freePort();
    server.baseUrl = `http://127.0.0.1:${server.port}`;
    child = spawnWrangler([
      "dev", "--ip", "127.0.0.1", "--port", String(server.port), "--persist-to", state, "--env-file", envFile,
      "--var", `ADMIN_EMAILS:${BENCH_ADMIN.email}`, "--show-interactive-dev-session=false", "--log-level", logLevel,
      // A free inspector port, so a developer's own `npm run dev` (9229) does not collide with the bench.
      "--inspector-port", String((server.inspectorPort = await freePort())),
      ...extraArgs,
    ], {
      stdio: ["ignore", log, log],
      detached: true,
      // Wrangler's experimental local observability (on by default) records a trace of every span
      // into SQLite; production has no such tracer in the request path, so the bench measures without it.
      env: { WRANGLER_LOG_PATH: path.join(dir, "logs"), X_LOCAL_OBSERVABILITY: process.env.X_LOCAL_OBSERVABILITY ?? "false" },
    });
    await waitForHealth(server.baseUrl, { child, timeoutMs: 120_000 });
    return server;
  } catch (err) {
    const tail = server.logTail();
    await server.stop();
    throw new Error(`${err.message}\n--- wrangler log ---\n${tail}`);
  }
}
