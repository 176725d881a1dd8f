/**
 * Builds the web app (web/src, Preact + TypeScript) into web/dist, the
 * directory wrangler.toml's [assets] serves. Also copies Swagger UI from the
 * swagger-ui-dist package into dist/vendor/swagger-ui/, so /docs needs no CDN.
 */
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import preact from "@preact/preset-vite";
import { defineConfig, type Plugin } from "vite";

const here = import.meta.dirname;
const require = createRequire(import.meta.url);

/** swagger-ui-dist's bundle and stylesheet, copied as they ship (no inline script: web/public/vendor/docs-init.js starts it). */
function swaggerUiAssets(): Plugin {
  return {
    name: "finedge-swagger-ui-assets",
    apply: "build",
    closeBundle() {
      const from = path.dirname(require.resolve("swagger-ui-dist/package.json"));
      const to = path.join(here, "dist", "vendor", "swagger-ui");
      mkdirSync(to, { recursive: true });
      for (const f of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) copyFileSync(path.join(from, f), path.join(to, f));
    },
  };
}

export default defineConfig({
  root: here,
  plugins: [preact(), swaggerUiAssets()],
  build: {
    outDir: path.join(here, "dist"),
    emptyOutDir: true,
    target: "es2022",
    // The Content Security Policy (public/_headers) allows no inline script, style or data: script.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
});
