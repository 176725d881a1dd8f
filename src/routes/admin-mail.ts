/**
 * The local mailbox for developers (admin): what the `local` email sender
 * stored in R2 (src/lib/email/mailbox.ts), newest first, and one message as
 * its raw RFC 5322 text. With the `http` sender the list stays empty.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { DomainError } from "../domain/errors";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { listMessages, MAIL_ID, readMessage } from "../lib/email/mailbox";
import { bearerSecurity, createRouter, errorResponses, jsonResponse } from "../lib/router";
import { requireAdmin, requireAuth } from "../middleware/auth";
import { IdParam, PageCursor, PageLimit } from "./pipeline-schemas";
import { listOf } from "./schemas";

const tags = ["admin"];
const MailIdParam = IdParam(MAIL_ID, "mail_8235267839999_0123456789abcdef");

const MailSummary = z
  .object({
    id: z.string().openapi({ example: "mail_8235267839999_0123456789abcdef" }),
    to: z.string().openapi({ example: "ada@example.com" }),
    subject: z.string().openapi({ example: 'Budget "groceries" at 80 %' }),
    template: z.string().openapi({ example: "notification" }),
    idempotency_key: z.string().openapi({ example: "notification:evt_0123456789abcdefghjk" }),
    message_id: z.string().openapi({ example: "<0123456789abcdef0123456789abcdef@finedge.local>" }),
    sent_at: z.string().openapi({ example: "2026-12-03T07:30:00.000Z" }),
    size: z.number().int().openapi({ description: "Bytes of the raw message", example: 812 }),
  })
  .openapi("MailSummary");

const listRoute = createRoute({
  method: "get",
  path: "/admin/mail",
  tags,
  operationId: "listMail",
  summary: "Messages the local email sender wrote, newest first",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()],
  description: "The local mailbox (EMAIL_SENDER=local): one entry per message sent, newest first, with a cursor.",
  request: { query: z.object({ limit: PageLimit(100, 20), cursor: PageCursor }) },
  responses: { 200: jsonResponse(listOf(MailSummary), "A page of messages"), ...errorResponses(400, 401, 403) },
});

const getRoute = createRoute({
  method: "get",
  path: "/admin/mail/{id}",
  tags,
  operationId: "getMail",
  summary: "One message as raw RFC 5322 text",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()],
  description:
    "The message exactly as sent: headers (Date, From, To, Subject, Message-ID, MIME-Version, Content-Type) and a quoted-printable body.",
  request: { params: MailIdParam },
  responses: {
    200: {
      description: "The raw message",
      headers: { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } },
      content: { "message/rfc822": { schema: { type: "string" }, example: "Date: Thu, 03 Dec 2026 07:30:00 +0000\r\nFrom: …" } },
    },
    ...errorResponses(400, 401, 403, 404),
  },
});

export const adminMailRouter = createRouter()
  .openapi(listRoute, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, z.tuple([z.string().regex(MAIL_ID)]));
    const { items, more } = await listMessages(c.env.LAKE, limit, after?.[0] ?? null);
    const last = items[items.length - 1];
    return c.json(
      { object: "list" as const, data: items, has_more: more, next_cursor: more && last ? encodeCursor([last.id]) : null },
      200,
    );
  })
  .openapi(getRoute, async (c) => {
    const { id } = c.req.valid("param");
    const raw = await readMessage(c.env.LAKE, id);
    if (raw === null) throw new DomainError("not_found", "No such message");
    return new Response(raw, { status: 200, headers: { "Content-Type": "message/rfc822; charset=utf-8" } }) as never;
  });
