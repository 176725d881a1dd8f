/**
 * Operator routes for the pipeline: the Bronze archive by date, the audit of
 * pipeline runs, replay (a background job rebuilding Silver and Gold from
 * Bronze) and job progress. Admin role only.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { platformDailyPage } from "../db/pipeline/gold-reads";
import { activeJob, createJob, getJob, jobView } from "../db/pipeline/jobs";
import { listRuns } from "../db/pipeline/runs";
import { DomainError } from "../domain/errors";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { audit } from "../lib/audit-context";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonResponse, optionalJsonBody } from "../lib/router";
import { requireAdmin, requireAuth } from "../middleware/auth";
import { bronzeCount } from "../lake/bronze";
import { bronzeDayPrefix } from "../pipeline/bronze-layout";
import { enqueueJobStep, type ReplayParams } from "../pipeline/jobs-protocol";
import { listOf } from "./schemas";
import { Day, JobIdParam, JobView, MinorTotal, PageCursor, PageLimit } from "./pipeline-schemas";

const tags = ["admin"];
const admin = [requireAuth(), requireAdmin()];

const BronzeObject = z
  .object({
    key: z.string(),
    size: z.number().int(),
    uploaded: z.string(),
    count: z.number().int(),
    min_occurred_at: z.string().nullable(),
    max_occurred_at: z.string().nullable(),
    sha256: z.string().nullable(),
  })
  .openapi("BronzeObject");

const PipelineRun = z
  .object({
    id: z.string(),
    queue: z.string(),
    job_id: z.string().nullable(),
    started_at: z.string(),
    finished_at: z.string(),
    duration_ms: z.number().int(),
    messages: z.number().int(),
    bronze_objects: z.number().int(),
    valid: z.number().int(),
    invalid: z.number().int(),
    duplicates: z.number().int(),
    gold_rows: z.number().int().openapi({ description: "Gold row writes: upserted rows plus closing balances moved" }),
    status: z.enum(["ok", "failed"]),
    error: z.string().nullable(),
  })
  .openapi("PipelineRun");

const PlatformDay = z
  .object({
    day: z.string(),
    currency: z.string(),
    kind: z.string(),
    count: z.number().int(),
    volume: MinorTotal.openapi({ description: "Everyone's volume that day: an exact decimal string (it passes 2^53)" }),
  })
  .openapi("PlatformDay");

const ReplayBody = z
  .object({ from: Day.optional(), to: Day.optional() })
  .strict()
  .openapi("ReplayRequest", { description: "Event dates to rebuild; widened to whole months. Omit both for everything." });

const bronzeRoute = createRoute({
  method: "get",
  path: "/admin/bronze",
  tags,
  operationId: "listBronzeObjects",
  summary: "Bronze objects for one event date",
  security: bearerSecurity,
  middleware: admin,
  description: "The raw event batches archived in R2 for one event date, with event counts and SHA-256.",
  request: { query: z.object({ date: Day, limit: PageLimit(1000, 100), cursor: PageCursor }) },
  responses: {
    200: jsonResponse(listOf(BronzeObject).extend({ date: z.string(), events: z.number().int() }), "Objects with their event counts"),
    ...errorResponses(400, 401, 403),
  },
});

const runsRoute = createRoute({
  method: "get",
  path: "/admin/pipeline/runs",
  tags,
  operationId: "listPipelineRuns",
  summary: "Pipeline runs, newest first",
  security: bearerSecurity,
  middleware: admin,
  description: "One audit row per consumer batch or replay chunk: counts, duration, status and error.",
  request: {
    query: z.object({
      queue: z.string().max(64).optional(),
      status: z.enum(["ok", "failed"]).optional(),
      limit: PageLimit(200, 50),
      cursor: PageCursor,
    }),
  },
  responses: { 200: jsonResponse(listOf(PipelineRun), "One row per consumer batch or replay chunk"), ...errorResponses(400, 401, 403) },
});

const platformRoute = createRoute({
  method: "get",
  path: "/admin/platform/daily",
  tags,
  operationId: "listPlatformDaily",
  summary: "The platform's daily mart: transactions and volume by day, currency and kind",
  description: "A reversal is its own kind here (it is a transaction that moved money); kinds include transfer legs.",
  security: bearerSecurity,
  middleware: admin,
  request: { query: z.object({ from: Day, to: Day, limit: PageLimit(1000, 200), cursor: PageCursor }) },
  responses: { 200: jsonResponse(listOf(PlatformDay), "Rows ordered by day, currency, kind"), ...errorResponses(400, 401, 403) },
});

const replayRoute = createRoute({
  method: "post",
  path: "/admin/replay",
  tags,
  operationId: "startReplay",
  summary: "Rebuild Silver and Gold from Bronze (background job)",
  security: bearerSecurity,
  middleware: admin,
  description:
    "Rebuilds Silver and Gold from Bronze for whole months (or everything), as a background job; one replay at a time (409 while another runs).",
  request: { body: optionalJsonBody(ReplayBody) },
  responses: {
    202: jsonResponse(JobView, "The replay job; poll GET /v1/admin/jobs/{id}"),
    ...errorResponses(...bodyErrors, 401, 403, 409),
  },
});

const jobRoute = createRoute({
  method: "get",
  path: "/admin/jobs/{id}",
  tags,
  operationId: "getJob",
  summary: "A background job's status and progress",
  security: bearerSecurity,
  middleware: admin,
  description: "Status and progress of a replay or export job.",
  request: { params: JobIdParam },
  responses: { 200: jsonResponse(JobView, "The job"), ...errorResponses(400, 401, 403, 404) },
});

export const adminPipelineRouter = createRouter()
  .openapi(bronzeRoute, async (c) => {
    const { date, limit, cursor } = c.req.valid("query");
    const page = await c.env.LAKE.list({ prefix: bronzeDayPrefix(date), limit, cursor, include: ["customMetadata"] });
    const data = page.objects.map((o) => ({
      key: o.key,
      size: o.size,
      uploaded: o.uploaded.toISOString(),
      count: bronzeCount(o),
      min_occurred_at: o.customMetadata?.min_occurred_at ?? null,
      max_occurred_at: o.customMetadata?.max_occurred_at ?? null,
      sha256: o.customMetadata?.sha256 ?? null,
    }));
    return c.json(
      {
        object: "list" as const,
        date,
        data,
        events: data.reduce((n, o) => n + o.count, 0),
        has_more: page.truncated,
        next_cursor: page.truncated ? page.cursor : null,
      },
      200,
    );
  })
  .openapi(runsRoute, async (c) => {
    const { queue, status, limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, z.tuple([z.string(), z.string()]));
    const results = await listRuns<z.infer<typeof PipelineRun>>(c.env.DB, {
      queue: queue ?? null,
      status: status ?? null,
      after: after ?? null,
      limit,
    });
    const page = results.slice(0, limit);
    const last = page[page.length - 1];
    const hasMore = results.length > limit;
    return c.json(
      {
        object: "list" as const,
        data: page,
        has_more: hasMore,
        next_cursor: hasMore && last ? encodeCursor([last.started_at, last.id]) : null,
      },
      200,
    );
  })
  .openapi(platformRoute, async (c) => {
    const { from, to, limit, cursor } = c.req.valid("query");
    if (from > to) throw new DomainError("validation_error", "from must not be after to", { field: "from" });
    const after = decodeCursor(cursor, z.tuple([z.string(), z.string(), z.string()])) ?? ["", "", ""];
    const results = await platformDailyPage(c.env.DB, { from, to, after, limit });
    const page = results.slice(0, limit);
    const last = page[page.length - 1];
    const hasMore = results.length > limit;
    return c.json(
      {
        object: "list" as const,
        data: page,
        has_more: hasMore,
        next_cursor: hasMore && last ? encodeCursor([last.day, last.currency, last.kind]) : null,
      },
      200,
    );
  })
  .openapi(replayRoute, async (c) => {
    const parsed = c.req.valid("json") ?? {};
    const from = parsed.from ?? null;
    const to = parsed.to ?? (from ? new Date().toISOString().slice(0, 10) : null);
    if (from && to && from > to) throw new DomainError("validation_error", "from must not be after to", { field: "from" });
    const params: ReplayParams = {
      from,
      to,
      from_month: to ? (from ?? "0000-01-01").slice(0, 7) : null,
      to_month: to ? to.slice(0, 7) : null,
    };
    const job = await createJob(c.env.DB, "replay", c.get("principal").userId, params, { exclusive: true });
    if (!job) {
      const running = await activeJob(c.env.DB, "replay");
      throw new DomainError("conflict", "A replay is already running", { job_id: running?.id ?? null });
    }
    await enqueueJobStep(c.env, job.id, 0);
    await audit(c, "pipeline.replay", "job", job.id, { from, to });
    return c.json(jobView(job), 202);
  })
  .openapi(jobRoute, async (c) => {
    const job = await getJob(c.env.DB, c.req.valid("param").id);
    if (!job) throw new DomainError("not_found", "No such job");
    return c.json(jobView(job), 200);
  });
