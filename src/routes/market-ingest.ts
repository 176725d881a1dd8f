/**
 * Market data in: tick batches and Yahoo daily history, for the admin and
 * `feeder` roles only. Each tick gets its own verdict; refused ticks change nothing.
 */
import { createRoute } from "@hono/zod-openapi";
import { DomainError } from "../domain/errors";
import { MAX_HISTORY_ROWS, parseYahooCsv, YAHOO_HEADER } from "../domain/market/history-csv";
import { symbolSpec } from "../domain/market/symbols";
import type { RawTick } from "../domain/market/ticks";
import { bearerSecurity, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAuth, requireFeeder } from "../middleware/auth";
import { marketStub } from "../lib/market-rpc";
import { knownSymbol } from "./market";
import { HistoryImported, SymbolParam, TickBatch, TickResults } from "./market-schemas";

const tags = ["market"];

const postTicks = createRoute({
  method: "post",
  path: "/market/ticks",
  tags,
  operationId: "postMarketTicks",
  summary: "Ingest a batch of trades (feeder or admin)",
  security: bearerSecurity,
  middleware: [requireAuth(), requireFeeder()] as const,
  description:
    "Each tick `{symbol, price, size?, t}` is accepted (with its q) or refused with a reason: unknown symbol, price not positive or not finite, more decimals than the symbol's precision, a bad size, t in the future or more than 5 s behind the symbol's latest trade. Refused ticks change nothing; the others are published to the stream.",
  request: { body: jsonBody(TickBatch) },
  responses: { 200: jsonResponse(TickResults, "One verdict per tick"), ...errorResponses(400, 401, 403, 413, 415) },
});

const postHistory = createRoute({
  method: "post",
  path: "/market/{symbol}/history",
  tags,
  operationId: "importMarketHistory",
  summary: "Import daily bars from a Yahoo CSV (feeder or admin)",
  security: bearerSecurity,
  middleware: [requireAuth(), requireFeeder()] as const,
  description: `A \`text/csv\` body with Yahoo's header \`${YAHOO_HEADER}\`, newest or oldest first, at most ${MAX_HISTORY_ROWS} rows; rows of \`null\` are skipped. A malformed row refuses the whole file (400, with its line) and nothing is imported. Imported days replace the symbol's daily bars for those days.`,
  request: { params: SymbolParam, body: { required: true, content: { "text/csv": { schema: { type: "string" } } } } },
  responses: { 200: jsonResponse(HistoryImported, "Imported"), ...errorResponses(400, 401, 403, 404, 413, 415) },
});

export const marketIngestRouter = createRouter()
  .openapi(postTicks, async (c) => {
    const { ticks } = c.req.valid("json");
    const results: { index: number; status: "accepted" | "refused"; q?: number; reason?: string }[] = ticks.map((_, index) => ({
      index,
      status: "refused",
      reason: "unknown symbol",
    }));
    const bySymbol = new Map<string, { index: number; tick: RawTick }[]>();
    ticks.forEach((tick, index) => {
      if (!symbolSpec(tick.symbol)) return;
      bySymbol.set(tick.symbol, [...(bySymbol.get(tick.symbol) ?? []), { index, tick }]);
    });
    await Promise.all(
      [...bySymbol].map(async ([symbol, items]) => {
        const r = await marketStub(c.env, symbol).ingest(items.map((i) => i.tick));
        r.results.forEach((v, k) => {
          results[items[k]!.index] =
            v.status === "accepted" ? { index: items[k]!.index, status: "accepted", q: v.q } : { index: items[k]!.index, ...v };
        });
      }),
    );
    const accepted = results.filter((r) => r.status === "accepted").length;
    return c.json({ accepted, refused: results.length - accepted, results }, 200);
  })
  .openapi(postHistory, async (c) => {
    const spec = knownSymbol(c.req.valid("param").symbol);
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (type !== "text/csv") throw new DomainError("unsupported_media_type", "The history must be a text/csv body");
    const parsed = parseYahooCsv(await c.req.text(), spec.price_precision);
    if (!parsed.ok) throw new DomainError("validation_error", `CSV line ${parsed.line}: ${parsed.reason}`, { line: parsed.line });
    if (parsed.bars.length === 0) throw new DomainError("validation_error", "The CSV has no rows to import");
    const r = await marketStub(c.env, spec.symbol).importHistory(parsed.bars);
    return c.json({ symbol: spec.symbol, imported: r.imported, skipped: parsed.skipped }, 200);
  });
