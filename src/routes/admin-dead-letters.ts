/**
 * Dead letters for operators: list them with their reason, replay one (its
 * body, or a corrected body, goes back on the EVENTS queue) or discard it.
 * A replayed event that is still malformed comes back and reopens its row.
 * The decision is kept (with the correction) and a Bronze replay honours it.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { getDeadLetter, listDeadLetters, reopenDeadLetter, resolveDeadLetter, type DeadLetterRow } from "../db/pipeline/dead-letters";
import { existingEventIds } from "../db/pipeline/silver";
import { eventIdOf } from "../pipeline/dead-letter";
import { DomainError } from "../domain/errors";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { audit } from "../lib/audit-context";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonResponse, NoFields, optionalJsonBody } from "../lib/router";
import { requireAdmin, requireAuth } from "../middleware/auth";
import { listOf } from "./schemas";
import { IdParam, PageCursor, PageLimit } from "./pipeline-schemas";

const tags = ["admin"];
const DeadLetterIdParam = IdParam(/^dl_[0-9a-f]{24}$/, "dl_0123456789abcdef01234567");

const DeadLetter = z
  .object({
    id: z.string(),
    event_id: z.string().nullable(),
    source_queue: z.string(),
    raw_body: z.string().openapi({ description: "The message body exactly as received, as JSON text" }),
    error: z.string(),
    attempts: z.number().int(),
    delivery_attempts: z.number().int(),
    first_seen_at: z.string(),
    last_seen_at: z.string(),
    status: z.enum(["open", "replayed", "discarded"]),
    resolved_at: z.string().nullable(),
    resolved_by: z.string().nullable(),
    corrected_body: z.string().nullable().openapi({ description: "The corrected event replayed instead of raw_body, as JSON text" }),
  })
  .openapi("DeadLetter");

const ReplayBody = z
  .object({ body: z.unknown().optional().openapi({ description: "A corrected event to send instead of the stored body" }) })
  .strict();

const listRoute = createRoute({
  method: "get",
  path: "/admin/dead-letters",
  tags,
  operationId: "listDeadLetters",
  summary: "Dead letters, newest first",
  security: bearerSecurity,
  middleware: [requireAuth(), requireAdmin()],
  description: "Events the pipeline could not accept, with the reason, newest first.",
  request: {
    query: z.object({ status: z.enum(["open", "replayed", "discarded"]).optional(), limit: PageLimit(200, 50), cursor: PageCursor }),
  },
  responses: { 200: jsonResponse(listOf(DeadLetter), "A page of dead letters"), ...errorResponses(400, 401, 403) },
});

const replayRoute = createRoute({
  method: "post",
  path: "/admin/dead-letters/{id}/replay",
  tags,
  operationId: "replayDeadLetter",
  summary: "Send a dead letter back through the pipeline",
  security: bearerSecurity,
  description:
    "Sends the stored body, or a corrected one, back through the pipeline; a still malformed event comes back and reopens the row.",
  middleware: [requireAuth(), requireAdmin()],
  request: { params: DeadLetterIdParam, body: optionalJsonBody(ReplayBody) },
  responses: { 200: jsonResponse(DeadLetter, "The dead letter, now replayed"), ...errorResponses(...bodyErrors, 401, 403, 404, 409) },
});

const discardRoute = createRoute({
  method: "post",
  path: "/admin/dead-letters/{id}/discard",
  tags,
  operationId: "discardDeadLetter",
  summary: "Discard a dead letter (kept on record)",
  security: bearerSecurity,
  description: "Marks a dead letter discarded; the row is kept on record. The body is optional and has no fields.",
  middleware: [requireAuth(), requireAdmin()],
  request: { params: DeadLetterIdParam, body: optionalJsonBody(NoFields) },
  responses: { 200: jsonResponse(DeadLetter, "The dead letter, now discarded"), ...errorResponses(...bodyErrors, 401, 403, 404, 409) },
});

async function resolveOr409(
  db: D1Database,
  id: string,
  status: "replayed" | "discarded",
  by: string,
  correctedBody: string | null = null,
): Promise<DeadLetterRow> {
  const row = await getDeadLetter(db, id);
  if (!row) throw new DomainError("not_found", "No such dead letter");
  if (!(await resolveDeadLetter(db, id, status, by, correctedBody)))
    throw new DomainError("conflict", `The dead letter is already ${row.status}`);
  return row;
}

export const adminDeadLettersRouter = createRouter()
  .openapi(listRoute, async (c) => {
    const { status, limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, z.tuple([z.string(), z.string()]));
    const results = await listDeadLetters(c.env.DB, { status: status ?? null, after: after ?? null, limit });
    const page = results.slice(0, limit);
    const last = page[page.length - 1];
    const hasMore = results.length > limit;
    return c.json(
      {
        object: "list" as const,
        data: page,
        has_more: hasMore,
        next_cursor: hasMore && last ? encodeCursor([last.first_seen_at, last.id]) : null,
      },
      200,
    );
  })
  .openapi(replayRoute, async (c) => {
    const { id } = c.req.valid("param");
    const override = (c.req.valid("json") as z.infer<typeof ReplayBody> | undefined)?.body;
    const corrected = override !== undefined ? JSON.stringify(override) : null;
    const correctedId = override !== undefined ? eventIdOf(override) : null;
    // Silver de-duplicates by event_id: a correction of an event it already applied would be dropped unseen.
    if (correctedId !== null && (await existingEventIds(c.env.DB, [correctedId])).has(correctedId)) {
      throw new DomainError(
        "conflict",
        "That event is already applied; a correction with the same event_id would be dropped as a duplicate (post a reversal instead)",
        { event_id: correctedId },
      );
    }
    const row = await resolveOr409(c.env.DB, id, "replayed", c.get("principal").userId, corrected);
    try {
      // Marked first, sent second: if the event fails again its new arrival reopens the row.
      await c.env.EVENTS.send(override !== undefined ? override : (JSON.parse(row.raw_body) as unknown), { contentType: "json" });
    } catch (err) {
      await reopenDeadLetter(c.env.DB, id);
      throw new DomainError("unavailable", "Could not enqueue the event; the dead letter stays open", { error: String(err) });
    }
    await audit(c, "dead_letter.replay", "dead_letter", id, { event_id: row.event_id, corrected: corrected !== null });
    return c.json((await getDeadLetter(c.env.DB, id))!, 200);
  })
  .openapi(discardRoute, async (c) => {
    const { id } = c.req.valid("param");
    const row = await resolveOr409(c.env.DB, id, "discarded", c.get("principal").userId);
    await audit(c, "dead_letter.discard", "dead_letter", id, { event_id: row.event_id });
    return c.json((await getDeadLetter(c.env.DB, id))!, 200);
  });
