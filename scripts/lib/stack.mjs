/**
 * Shared plumbing for the local stack scripts (dev, bench): run wrangler with
 * the project's pinned Node, apply D1 migrations, start `wrangler dev`, wait for
 * /health and stop what was started. Nothing here knows about the API itself.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const WRANGLER_JS = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");

/** Quiet, offline-friendly defaults for every wrangler child; an explicit setting wins. */
export function wranglerEnv(extra = {}) {
  return {
    ...process.env,
    WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false",
    // The Request.cf object is fetched from the internet at start; the app never reads it.
    CLOUDFLARE_CF_FETCH_ENABLED: process.env.CLOUDFLARE_CF_FETCH_ENABLED ?? "false",
    ...extra,
  };
}

export function wranglerVersion() {
  return JSON.parse(readFileSync(path.join(ROOT, "node_modules/wrangler/package.json"), "utf8")).version;
}

/** A random secret: 48 bytes as base64url (64 characters), well over the 32-character minimum. */
export function randomSecret() {
  return randomBytes(48).toString("base64url");
}

/** Spawn wrangler on the same Node binary that runs this script (the pinned Node 22 under `npm run`). */
export function spawnWrangler(args, opts = {}) {
  return spawn(process.execPath, [WRANGLER_JS, ...args], {
    cwd: ROOT,
    env: wranglerEnv(opts.env),
    stdio: opts.stdio ?? "inherit",
    detached: opts.detached ?? false,
  });
}

/** Resolves with the exit code (128 + n for a signal); rejects when the process cannot start. */
export function exitOf(child) {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    if (child.signalCode !== null) return resolve(128 + osSignalNumber(child.signalCode));
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve(code ?? 128 + (signal ? osSignalNumber(signal) : 1)));
  });
}

const SIGNAL_NUMBERS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
function osSignalNumber(signal) {
  return SIGNAL_NUMBERS[signal] ?? 1;
}

/** Apply D1 migrations to the local database, honoring the wrangler flags that choose where it lives. */
export async function applyMigrations(passThrough, opts = {}) {
  const child = spawnWrangler(["d1", "migrations", "apply", "DB", "--local", ...passThrough], {
    stdio: opts.stdio ?? ["ignore", "inherit", "inherit"],
    env: { CI: "true", ...opts.env },
  });
  const code = await exitOf(child);
  if (code !== 0) throw new Error(`wrangler d1 migrations apply exited with ${code}`);
}

/**
 * Flags of `wrangler dev` that also decide where the local D1 lives, so the
 * migration step looks at the same database: --persist-to, --config/-c, --env/-e.
 */
export function storageFlags(args) {
  const out = [];
  for (const name of ["--persist-to", "--config", "-c", "--env", "-e"]) {
    const v = flagValue(args, name);
    if (v !== undefined) out.push(name, v);
  }
  return out;
}

/** The value of `--name v` or `--name=v` (the last one wins, as in yargs), or undefined. */
export function flagValue(args, name) {
  let value;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === name && i + 1 < args.length) value = args[++i];
    else if (a.startsWith(`${name}=`)) value = a.slice(name.length + 1);
  }
  return value;
}

export function hasFlag(args, name) {
  return args.some((a) => a === name || a.startsWith(`${name}=`));
}

/** Poll GET {baseUrl}/health until it answers 200, the child exits, or the deadline passes. */
export async function waitForHealth(baseUrl, { timeoutMs = 90_000, child } = {}) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child?.once("exit", () => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error("wrangler dev exited before it became healthy");
    try {
      const res = await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${baseUrl}/health did not answer 200 within ${timeoutMs / 1000} s`);
}

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Stop a child started with `detached: true` (its own process group): SIGTERM
 * to the group, then SIGKILL if it is still there after `graceMs`, so workerd
 * children never outlive the script.
 */
export async function stopGroup(child, graceMs = 10_000) {
  if (!child) return;
  const running = child.exitCode === null && child.signalCode === null;
  const exited = exitOf(child).catch(() => undefined);
  if (running) signalGroup(child, "SIGTERM");
  let timer;
  const timeout = new Promise((r) => {
    timer = setTimeout(() => r("timeout"), graceMs);
  });
  const first = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (first === "timeout") {
    signalGroup(child, "SIGKILL");
    await exited;
  }
  // wrangler is gone; anything left in its group (a workerd) goes with it.
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    /* group already empty */
  }
}

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

export function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
