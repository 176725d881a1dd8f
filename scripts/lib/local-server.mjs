/**
 * A private local `wrangler dev` for tests and benchmarks: a free loopback
 * port, a fresh temporary directory holding the state (`--persist-to`), an env
 * file with secrets generated for this server only (the project's .dev.vars is
 * never read) and the wrangler log. `crash()` SIGKILLs the whole process group
 * (wrangler and its workerd children) and `restart()` brings the same server
 * back on the same state, port and secrets, so issued tokens still verify.
 * `grantAdmin(email)` makes a registered user admin through the operator
 * command (`npm run admin:grant`) against this server's state.
 */
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { buildWeb } from "./build-web.mjs";
import { applyMigrations, exitOf, freePort, ROOT, randomSecret, sleep, spawnWrangler, stopGroup, waitForHealth } from "./stack.mjs";

/**
 * @typedef {object} LocalServerOptions
 * @property {string} [prefix] temporary directory name prefix
 * @property {string} [logLevel] wrangler --log-level
 * @property {string[]} [extraArgs] more `wrangler dev` flags
 * @property {Record<string, string>} [env] extra environment for wrangler
 * @property {Record<string, string>} [vars] Worker variables over the generated ones (ENVIRONMENT, secrets, RATE_LIMIT_BACKEND)
 * @property {boolean} [keepState] leave the directory in place on stop()
 * @property {number} [healthTimeoutMs]
 */

/** @param {LocalServerOptions} [opts] */
export async function startLocalServer(opts = {}) {
  const { prefix = "finedge-local-", logLevel = "warn", extraArgs = [], env = {}, keepState = false, healthTimeoutMs = 120_000 } = opts;
  // wrangler.toml's [assets] directory must exist before wrangler dev starts (a fresh clone has none).
  buildWeb({ ifMissing: true });
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const stateDir = path.join(dir, "state");
  const envFile = path.join(dir, "server.env");
  const logFile = path.join(dir, "wrangler.log");
  const childEnv = { WRANGLER_LOG_PATH: path.join(dir, "logs"), ...env };
  const vars = {
    ENVIRONMENT: "development",
    JWT_SECRET: randomSecret(),
    PASSWORD_PEPPER: randomSecret(),
    RATE_LIMIT_BACKEND: "isolate",
    ...opts.vars,
  };
  writeFileSync(
    envFile,
    Object.entries(vars)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(""),
    { mode: 0o600 },
  );

  /** @type {import("node:child_process").ChildProcess | null} */
  let child = null;
  let args = /** @type {string[]} */ ([]);
  const log = createWriteStream(logFile, { flags: "a" });
  await new Promise((r) => log.once("open", r));

  async function launch() {
    const logFrom = statSync(logFile).size;
    child = spawnWrangler(args, { stdio: ["ignore", log, log], detached: true, env: childEnv });
    // A build error does not end `wrangler dev` (it waits for a fix), so watch the log instead of waiting out the timeout.
    let starting = true;
    const buildError = (async () => {
      while (starting) {
        await sleep(500);
        if (starting && /\[ERROR\]/.test(readFileSync(logFile, "utf8").slice(logFrom)))
          throw new Error("wrangler dev reported an error while starting");
      }
    })();
    try {
      await Promise.race([waitForHealth(server.baseUrl, { child, timeoutMs: healthTimeoutMs }), buildError]);
    } finally {
      starting = false;
      buildError.catch(() => undefined);
    }
  }

  const server = {
    dir,
    stateDir,
    logFile,
    baseUrl: "",
    port: 0,
    /** The V8 inspector of the Worker isolate (for profiling). */
    inspectorPort: 0,
    /** Process group of wrangler and its workerd children, or null when stopped. */
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
    /** SIGKILL the whole group at once, as a power cut would: no handler, no flush. Resolves when every process of it is gone. */
    async crash() {
      if (!child) return;
      const pgid = child.pid;
      const exited = exitOf(child).catch(() => undefined);
      try {
        process.kill(-pgid, "SIGKILL");
      } catch {
        // already gone
      }
      await exited;
      // Orphaned workerd processes are reparented; wait until the group is empty so none still holds the state files.
      for (let i = 0; i < 200 && groupAlive(pgid); i++) await sleep(25);
      child = null;
    },
    /** Start again on the same state directory, port, inspector port and secrets. */
    async restart() {
      if (child) throw new Error("server is still running; crash() or stop() it first");
      try {
        await launch();
      } catch (err) {
        throw new Error(`restart: ${err instanceof Error ? err.message : String(err)}\n--- wrangler log ---\n${server.logTail()}`);
      }
    },
    /**
     * Grant the admin role to a registered user with the operator command, on this server's D1.
     * Their sessions carry it from the next refresh or login.
     * @param {string} email
     */
    async grantAdmin(email) {
      const child = spawn(
        process.execPath,
        [
          path.join(ROOT, "node_modules/tsx/dist/cli.mjs"),
          "scripts/admin-role.ts",
          "grant",
          email,
          "--persist-to",
          stateDir,
          "--actor",
          "local-server",
          "--reason",
          "test or bench admin",
        ],
        { cwd: ROOT, stdio: ["ignore", log, log], env: { ...process.env, ...childEnv } },
      );
      const code = await exitOf(child);
      if (code !== 0) throw new Error(`admin:grant ${email} exited with ${code}\n--- log ---\n${server.logTail()}`);
    },
    async stop() {
      await stopGroup(child);
      child = null;
      log.end();
      if (!keepState) rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    await applyMigrations(["--persist-to", stateDir], { stdio: ["ignore", log, log], env: childEnv });
    server.port = await freePort();
    server.baseUrl = `http://127.0.0.1:${server.port}`;
    server.inspectorPort = await freePort();
    args = [
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(server.port),
      "--persist-to",
      stateDir,
      "--env-file",
      envFile,
      "--show-interactive-dev-session=false",
      "--log-level",
      logLevel,
      // Its own inspector port, so a developer's `npm run dev` (9229) or another server does not collide.
      "--inspector-port",
      String(server.inspectorPort),
      ...extraArgs,
    ];
    await launch();
    return server;
  } catch (err) {
    const tail = server.logTail();
    await server.stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- wrangler log ---\n${tail}`);
  }
}

/**
 * Whether a live (not zombie) process is left in the group. On Linux /proc
 * tells; a zombie holds no files, and one reparented to a PID 1 that never
 * reaps would otherwise look alive for ever. Elsewhere, signal 0 answers.
 * @param {number} pgid
 */
function groupAlive(pgid) {
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      let stat;
      try {
        stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      } catch {
        continue;
      }
      // pid (comm) state ppid pgrp ...: comm may hold spaces, so split after its closing parenthesis.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(pgrp) === pgid && state !== "Z") return true;
    }
    return false;
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
}
