/**
 * Writes the OpenAPI document the Worker serves at /openapi.json to a file, for
 * the linters (`npm run lint:openapi`). Builds the same app in Node; no server.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createApp, openApiConfig } from "../src/app";

const out = process.argv[2] ?? ".wrangler/openapi.json";
const doc = createApp().getOpenAPI31Document(openApiConfig("http://127.0.0.1:8787"));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
console.log(`wrote ${out}: ${Object.keys(doc.paths ?? {}).length} paths`);
