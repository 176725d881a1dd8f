/**
 * GET /v1/market/stream: the WebSocket upgrade, handed to a random stream hub
 * shard (durable/stream-hub-do.ts). Authentication happens inside the socket
 * (the first message carries the access token, never the URL); the protocol
 * is documented here and in the README's "Investing" section.
 */
import { createRoute } from "@hono/zod-openapi";
import { DomainError } from "../domain/errors";
import { AUTH_TIMEOUT_MS, MAX_SYMBOLS_PER_CONNECTION, MAX_UNACKED_FRAMES, STREAM_ERRORS } from "../domain/market/stream-protocol";
import { createRouter, errorResponses, noContent, publicSecurity } from "../lib/router";
import { shardCount } from "../../durable/stream/registry";

const codes = Object.values(STREAM_ERRORS)
  .map((e) => `${e.code} ${e.msg}`)
  .join(", ");

const PROTOCOL = `Upgrades to a WebSocket. Messages are JSON text.
1. The server sends \`[{"T":"success","msg":"connected"}]\`. Within ${AUTH_TIMEOUT_MS / 1000} s send \`{"action":"auth","token":"<access token>"}\` (never in the URL); else the socket is closed with 4404. A bad or revoked token closes with 4402; more connections than the per-user limit with 4406.
2. \`{"action":"subscribe"|"unsubscribe","trades":[…],"bars":[…],"statuses":[…]}\` (registered symbols; at most ${MAX_SYMBOLS_PER_CONNECTION} per connection) is acknowledged with the full current set \`[{"T":"subscription",…}]\`, then one \`{"T":"snapshot","S":…,"seq":…}\` per newly subscribed symbol.
3. Server frames are JSON arrays of events: trades \`{"T":"t","S","p","s","t","q"}\`, minute bars \`{"T":"b","S","o","h","l","c","v","n","t","q"}\`, statuses \`{"T":"s","S","sc":"open|closed|halted","t","q"}\`; prices and sizes are decimal strings. \`q\` is the symbol's gap-free trade sequence: each trade is the previous one's q + 1, starting at the snapshot's seq + 1; bars and statuses carry the q they were published at. A client that sees a gap resyncs from GET /v1/market/{symbol}/snapshot.
4. Acknowledge progress with \`{"action":"ack","frames":n}\` (frames received since the last ack); more than ${MAX_UNACKED_FRAMES} unacknowledged frames closes the socket with 4407 (slow client). \`{"action":"ping"}\` is answered \`[{"T":"pong"}]\` without waking the server.
Errors are \`{"T":"error","code":n,"msg":"…"}\` with Alpaca's codes where one fits (${codes}); a closing error uses close code 4000 + code.`;

const stream = createRoute({
  method: "get",
  path: "/market/stream",
  tags: ["market"],
  operationId: "openMarketStream",
  summary: "Live prices over a WebSocket",
  security: publicSecurity,
  description: PROTOCOL,
  responses: {
    101: noContent("Switching Protocols: the WebSocket is open; authenticate with the first message"),
    ...errorResponses(400),
  },
});

export const marketStreamRouter = createRouter().openapi(stream, async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
    throw new DomainError("validation_error", "This route upgrades to a WebSocket: send Upgrade: websocket");
  const shard = `hub-${Math.floor(Math.random() * shardCount(c.env))}`;
  const res = await c.env.STREAM_HUB.get(c.env.STREAM_HUB.idFromName(shard)).fetch(c.req.raw);
  if (!res.webSocket) throw new DomainError("unavailable", "The stream is unavailable");
  // A fresh Response, so the app's header middleware may still set its headers.
  // biome-ignore lint/suspicious/noExplicitAny: a 101 with a WebSocket is outside the typed JSON responses
  return new Response(null, { status: 101, webSocket: res.webSocket }) as any;
});
