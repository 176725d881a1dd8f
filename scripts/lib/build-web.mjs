/**
 * Builds the web app (web/ → web/dist, the directory wrangler.toml's [assets]
 * serves) with Vite, as `npm run build:web` does. `npm run dev` calls it before
 * starting wrangler; the browser tests call it with `ifMissing` so a lone
 * `npx vitest run --project browser` still has something to serve.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./stack.mjs";

export const WEB_DIST = path.join(ROOT, "web", "dist");

/** @param {{ ifMissing?: boolean, stdio?: import("node:child_process").StdioOptions }} [opts] */
export function buildWeb({ ifMissing = false, stdio = "inherit" } = {}) {
  if (ifMissing && existsSync(path.join(WEB_DIST, "index.html"))) return false;
  const vite = path.join(ROOT, "node_modules", "vite", "bin", "vite.js");
  const r = spawnSync(process.execPath, [vite, "build", "--config", path.join(ROOT, "web", "vite.config.ts"), "--logLevel", "warn"], {
    cwd: ROOT,
    stdio,
  });
  if (r.status !== 0) throw new Error(`web app build failed (exit ${r.status ?? r.signal})`);
  return true;
}
