/**
 * GET /docs: Swagger UI over /openapi.json, from this Worker's own static
 * assets (web/dist/vendor/, copied from the swagger-ui-dist package by the web
 * build), so the page works offline. No inline script: docs-init.js starts it.
 */
import type { Context } from "hono";

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>FinEdge API reference (Swagger UI)</title>
    <link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui" data-spec-url="/openapi.json"></div>
    <script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script>
    <script src="/vendor/docs-init.js"></script>
  </body>
</html>
`;

/** Swagger UI sets element styles from script (React style props); 'unsafe-inline' styles only, never scripts. */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function docsPage(c: Context) {
  c.header("Content-Security-Policy", DOCS_CSP);
  return c.html(PAGE);
}
