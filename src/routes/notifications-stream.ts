/**
 * GET /v1/notifications/stream: the WebSocket upgrade, handed to the user's
 * UserDO (durable/user/inbox-sockets.ts). `user_id` only routes the socket to
 * that user's object; it grants nothing: the first message must carry an
 * access token of that very user (never in the URL), else the socket closes.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { userObject } from "../auth/sessions";
import { DomainError } from "../domain/errors";
import { AUTH_TIMEOUT_MS } from "../domain/socket-protocol";
import { RESUME_FRAME_SIZE } from "../domain/notifications/stream-protocol";
import { createRouter, errorResponses, noContent, publicSecurity } from "../lib/router";

const PROTOCOL = `Upgrades to a WebSocket on the user's own inbox. Messages are JSON text; server frames are JSON arrays of events.
1. The server sends \`[{"T":"success","msg":"connected"}]\`. Within ${AUTH_TIMEOUT_MS / 1000} s send \`{"action":"auth","token":"<access token>"}\`; else the socket is closed with 4404. A bad or revoked token, or one of another user than \`user_id\`, closes with 4402; more sockets than the per-user limit with 4406. When the session the socket signed in with is revoked (sign-out, sign-out everywhere, a password change), the socket is closed with 4411. Authenticated: \`[{"T":"success","msg":"authenticated"},{"T":"unread","count":n}]\`.
2. New notifications arrive as \`{"T":"notification",…}\` (the Notification schema) followed by \`{"T":"unread","count":n}\`; reads on another device send \`{"T":"unread","count":n}\`.
3. A reconnecting client sends \`{"action":"resume","after":"<last notification id seen>"}\` (or \`null\` for everything the inbox holds) and gets what it missed, oldest first, at most ${RESUME_FRAME_SIZE} per frame, then \`{"T":"resumed","last":id|null}\`. No notification is sent twice on one socket.
4. \`{"action":"ping"}\` is answered \`[{"T":"pong"}]\` without waking the server. Errors are \`{"T":"error","code":n,"msg":"…"}\` as on the market stream.`;

const stream = createRoute({
  method: "get",
  path: "/notifications/stream",
  tags: ["notifications"],
  operationId: "openNotificationStream",
  summary: "Live notifications over a WebSocket",
  security: publicSecurity,
  description: PROTOCOL,
  request: {
    query: z.object({
      user_id: z
        .string()
        .regex(/^usr_[0-9a-z]{20}$/, "must be a user id")
        .openapi({ description: "Your own user id (GET /v1/me): routes the socket, authorizes nothing" }),
    }),
  },
  responses: {
    101: noContent("Switching Protocols: the WebSocket is open; authenticate with the first message"),
    ...errorResponses(400),
  },
});

export const notificationsStreamRouter = createRouter().openapi(stream, async (c) => {
  if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
    throw new DomainError("validation_error", "This route upgrades to a WebSocket: send Upgrade: websocket");
  const res = await userObject(c.env, c.req.valid("query").user_id).fetch(c.req.raw);
  if (!res.webSocket) throw new DomainError("unavailable", "The stream is unavailable");
  // biome-ignore lint/suspicious/noExplicitAny: a 101 with a WebSocket is outside the typed JSON responses
  return new Response(null, { status: 101, webSocket: res.webSocket }) as any;
});
