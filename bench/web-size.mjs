/**
 * The web app's JavaScript as a browser receives it: every .js file Vite wrote
 * to web/dist/assets/ (the entry and any chunk it may load; /vendor/swagger-ui
 * is /docs's, not the app's), raw and gzipped at level 9. 1 kB = 1,000 bytes.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { WEB_DIST } from "../scripts/lib/build-web.mjs";

export const JS_GZIP_BAR_BYTES = 150_000;

/** @param {string} [dist] */
export function measureWebAssets(dist = WEB_DIST) {
  const dir = path.join(dist, "assets");
  const files = readdirSync(dir)
    .filter((f) => /\.(js|css)$/.test(f))
    .map((f) => {
      const bytes = readFileSync(path.join(dir, f));
      return { file: `assets/${f}`, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
  const sum = (ext) => {
    const of = files.filter((f) => f.file.endsWith(ext));
    return { files: of.length, raw: of.reduce((s, f) => s + f.raw, 0), gzip: of.reduce((s, f) => s + f.gzip, 0) };
  };
  return { js: sum(".js"), css: sum(".css"), files };
}
