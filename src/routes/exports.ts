/**
 * Exports for offline analysis: request one (a background job), read its
 * status and manifest, stream its files from R2. A user's export holds only
 * their rows; an admin's holds everyone's. Another user's export is a 404.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { EXPORT_QUOTA, exportQuotaRefusal } from "../db/pipeline/export-quota";
import { createJob, getJob, jobView, type JobRow, listJobs } from "../db/pipeline/jobs";
import { checkDayRange, SPAN_LIMITS } from "../domain/calendar";
import { DomainError } from "../domain/errors";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { bearerSecurity, bodyErrors, createRouter, errorResponses, jsonBody, jsonResponse } from "../lib/router";
import { requireAuth } from "../middleware/auth";
import { DATASETS, FORMATS, isExportFileName } from "../pipeline/export-format";
import { enqueueJobStep, exportKey, type ExportManifest, type ExportParams } from "../pipeline/jobs-protocol";
import { Day, JobIdParam, JobView, PageCursor, PageLimit } from "./pipeline-schemas";
import { listOf } from "./schemas";

const tags = ["exports"];

const ExportRequest = z
  .object({ dataset: z.enum(DATASETS), from: Day, to: Day, format: z.enum(FORMATS).default("ndjson") })
  .strict()
  .openapi("ExportRequest", { description: "Dates are UTC event dates, inclusive." });

const ExportView = JobView.extend({
  files: z.array(z.object({ name: z.string(), rows: z.number().int(), bytes: z.number().int(), url: z.string() })),
}).openapi("Export");

const createExport = createRoute({
  method: "post",
  path: "/exports",
  tags,
  operationId: "createExport",
  summary: "Start an export (NDJSON or Parquet)",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description:
    "Starts a background job writing your rows (all rows for an admin) of one dataset and date range as NDJSON or Parquet to R2. " +
    `At most ${EXPORT_QUOTA.unfinished} of your exports may be queued or running, and at most ${EXPORT_QUOTA.perHour} started in any hour; beyond either, 429 rate_limited with Retry-After.`,
  request: { body: jsonBody(ExportRequest) },
  responses: { 202: jsonResponse(ExportView, "The export job; poll GET /v1/exports/{id}"), ...errorResponses(...bodyErrors, 401, 429) },
});

const listExports = createRoute({
  method: "get",
  path: "/exports",
  tags,
  operationId: "listExports",
  summary: "Your exports, newest first",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "The exports you started (an admin too sees only their own here), newest first, with status, progress and files.",
  request: { query: z.object({ limit: PageLimit(100, 20), cursor: PageCursor }) },
  responses: { 200: jsonResponse(listOf(ExportView), "Exports, newest first"), ...errorResponses(400, 401) },
});

const getExport = createRoute({
  method: "get",
  path: "/exports/{id}",
  tags,
  operationId: "getExport",
  summary: "An export's status and manifest",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Status, progress and, once finished, the manifest: files, row counts and schema.",
  request: { params: JobIdParam },
  responses: { 200: jsonResponse(ExportView, "Status, manifest (files, row counts, schema)"), ...errorResponses(400, 401, 404) },
});

const getFile = createRoute({
  method: "get",
  path: "/exports/{id}/files/{name}",
  tags,
  operationId: "getExportFile",
  summary: "Stream one export file",
  security: bearerSecurity,
  middleware: [requireAuth()] as const,
  description: "Streams one file of a finished export; the name comes from the manifest, URL-encoded.",
  request: {
    params: JobIdParam.extend({
      name: z.string().max(200).openapi({ description: "File name from the manifest, URL-encoded (it contains a slash)" }),
    }),
  },
  responses: {
    200: {
      description: "The file's bytes",
      headers: { "X-Request-Id": { $ref: "#/components/headers/X-Request-Id" } },
      content: {
        "application/x-ndjson": { schema: { type: "string" } },
        "application/vnd.apache.parquet": { schema: { type: "string", contentMediaType: "application/vnd.apache.parquet" } },
      },
    },
    ...errorResponses(400, 401, 404),
  },
});

/** The export if the caller may see it: its creator, or an admin. */
async function visibleExport(db: D1Database, id: string, principal: { userId: string; role: string }): Promise<JobRow> {
  const job = await getJob(db, id);
  if (job?.kind !== "export" || (job.created_by !== principal.userId && principal.role !== "admin")) {
    throw new DomainError("not_found", "No such export");
  }
  return job;
}

function exportView(job: JobRow) {
  const manifest = job.result ? (JSON.parse(job.result) as ExportManifest) : null;
  return {
    ...jobView(job),
    files: (manifest?.files ?? []).map((f) => ({
      name: f.name,
      rows: f.rows,
      bytes: f.bytes,
      url: `/v1/exports/${job.id}/files/${encodeURIComponent(f.name)}`,
    })),
  };
}

export const exportsRouter = createRouter()
  .openapi(createExport, async (c) => {
    const body = c.req.valid("json");
    checkDayRange(body.from, body.to, SPAN_LIMITS.exportDays);
    const principal = c.get("principal");
    const params: ExportParams = { ...body, user_id: principal.role === "admin" ? null : principal.userId };
    const job = await createJob(c.env.DB, "export", principal.userId, params, { quota: EXPORT_QUOTA });
    if (!job) throw await exportQuotaRefusal(c.env.DB, principal.userId);
    await enqueueJobStep(c.env, job.id, 0);
    return c.json(exportView(job), 202);
  })
  .openapi(listExports, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    const after = decodeCursor(cursor, z.tuple([z.string(), z.string()]));
    const rows = await listJobs(c.env.DB, { kind: "export", createdBy: c.get("principal").userId, after, limit });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const hasMore = rows.length > limit;
    return c.json(
      {
        object: "list" as const,
        data: page.map(exportView),
        has_more: hasMore,
        next_cursor: hasMore && last ? encodeCursor([last.created_at, last.id]) : null,
      },
      200,
    );
  })
  .openapi(getExport, async (c) => {
    const job = await visibleExport(c.env.DB, c.req.valid("param").id, c.get("principal"));
    return c.json(exportView(job), 200);
  })
  .openapi(getFile, async (c) => {
    const { id, name } = c.req.valid("param");
    const job = await visibleExport(c.env.DB, id, c.get("principal"));
    const manifest = job.result ? (JSON.parse(job.result) as ExportManifest) : null;
    if (!isExportFileName(name) || !manifest?.files.some((f) => f.name === name))
      throw new DomainError("not_found", "No such file in this export");
    const obj = await c.env.LAKE.get(exportKey(job.id, manifest.dataset, name));
    if (!obj) throw new DomainError("not_found", "No such file in this export");
    const fileName = name.replace("/", "_");
    return new Response(obj.body, {
      status: 200,
      headers: {
        "Content-Type": obj.httpMetadata?.contentType ?? "application/octet-stream",
        "Content-Length": String(obj.size),
        "Content-Disposition": `attachment; filename="${fileName}"`,
      },
    }) as never;
  });
