/**
 * Export jobs: Silver or Gold rows for a date range written to R2 as NDJSON or
 * Parquet under exports/<job>/<dataset>/month=YYYY-MM/part-NNNNN.<ext>, one
 * part per step, with a manifest (files, row counts, schema) kept on the job.
 * A user's export holds only that user's rows; an admin's may hold everyone's.
 * An invocation writes at least one part and stops at its time budget; the
 * job continues in the next message.
 */
import { parquetWriteBuffer } from "hyparquet-writer";
import { countExportRows, exportSource } from "../src/db/pipeline/export-rows";
import { advanceStatement, type JobRow } from "../src/db/pipeline/jobs";
import {
  DATASET_COLUMNS,
  eventRow,
  partFileName,
  toNdjson,
  toParquetColumns,
  transactionRow,
  type Dataset,
  type ExportRow,
  type SilverRow,
} from "../src/pipeline/export-format";
import { checkDayRange, SPAN_LIMITS } from "../src/domain/calendar";
import { exportKey, type ExportManifest, type ExportParams } from "../src/pipeline/jobs-protocol";
import { lastDayOfMonth, monthsBetween } from "../src/pipeline/time";

interface ExportCursor {
  m: number;
  after: [string, string] | null;
  part: number;
}

export interface ExportLimits {
  /** Rows per D1 read. */
  pageRows: number;
  /** Rows per file: a month with more rows is split into part-00000, part-00001, … */
  partRows: number;
  timeBudgetMs: number;
}

export const EXPORT_LIMITS: ExportLimits = { pageRows: 5_000, partRows: 50_000, timeBudgetMs: 20_000 };

function toExportRow(dataset: Dataset, r: Record<string, unknown>): ExportRow {
  if (dataset === "events") return eventRow(r as unknown as SilverRow);
  if (dataset === "transactions") return transactionRow(r as unknown as SilverRow);
  return r as ExportRow;
}

function emptyManifest(p: ExportParams): ExportManifest {
  return {
    dataset: p.dataset,
    format: p.format,
    from: p.from,
    to: p.to,
    scope: p.user_id === null ? "all" : "user",
    partitioning: ["month"],
    schema: DATASET_COLUMNS[p.dataset].map((c) => ({ name: c.name, type: c.type })),
    files: [],
    rows: 0,
  };
}

function encode(p: ExportParams, rows: ExportRow[]): Uint8Array {
  if (p.format === "ndjson") return new TextEncoder().encode(toNdjson(rows));
  return new Uint8Array(parquetWriteBuffer({ columnData: toParquetColumns(p.dataset, rows) as never }));
}

/** Writes the next part(s); returns the next step, or null when the export is complete. */
export async function runExportStep(env: Env, job: JobRow, limits: ExportLimits = EXPORT_LIMITS): Promise<number | null> {
  const p = JSON.parse(job.params) as ExportParams;
  // The route checked this; checked again so a job that got past it (an older
  // build, a hand-made row) fails with the reason instead of looping.
  checkDayRange(p.from, p.to, SPAN_LIMITS.exportDays);
  const months = monthsBetween(p.from, p.to);
  let step = job.step;
  if (step === 0) {
    const total = await countExportRows(env.DB, p);
    const r = await advanceStatement(env.DB, job, {
      cursor: JSON.stringify({ m: 0, after: null, part: 0 }),
      processed: 0,
      total,
      result: emptyManifest(p),
    }).run();
    if (r.meta.changes !== 1) return null;
    step = 1;
  }
  let cursor: ExportCursor = step === job.step && job.cursor ? (JSON.parse(job.cursor) as ExportCursor) : { m: 0, after: null, part: 0 };
  const manifest: ExportManifest = step === job.step && job.result ? (JSON.parse(job.result) as ExportManifest) : emptyManifest(p);
  const source = exportSource(p);
  const started = Date.now();

  for (let parts = 0; parts === 0 || Date.now() - started < limits.timeBudgetMs; parts++) {
    const month = months[cursor.m];
    if (month === undefined) {
      await advanceStatement(
        env.DB,
        { id: job.id, step },
        { cursor: JSON.stringify(cursor), processed: 0, done: true, result: manifest },
      ).run();
      return null;
    }
    const from = p.from > `${month}-01` ? p.from : `${month}-01`;
    const monthEnd = lastDayOfMonth(`${month}-01`);
    const to = p.to < monthEnd ? p.to : monthEnd;
    const rows: ExportRow[] = [];
    let after = cursor.after ?? ["", ""];
    let exhausted = false;
    while (rows.length < limits.partRows) {
      const want = Math.min(limits.pageRows, limits.partRows - rows.length);
      const page = await source.page(env.DB, { from, to, after, limit: want });
      for (const r of page.results) rows.push(toExportRow(p.dataset, r));
      if (page.results.length > 0) after = source.key(page.results[page.results.length - 1]!);
      if (page.results.length < want) {
        exhausted = true;
        break;
      }
    }
    if (rows.length > 0) {
      const name = partFileName(month, cursor.part, p.format);
      const body = encode(p, rows);
      await env.LAKE.put(exportKey(job.id, p.dataset, name), body, {
        httpMetadata: { contentType: p.format === "parquet" ? "application/vnd.apache.parquet" : "application/x-ndjson" },
        customMetadata: { rows: String(rows.length), job_id: job.id },
      });
      manifest.files.push({ name, rows: rows.length, bytes: body.byteLength, partition: { month } });
      manifest.rows += rows.length;
    }
    const next: ExportCursor = exhausted ? { m: cursor.m + 1, after: null, part: 0 } : { m: cursor.m, after, part: cursor.part + 1 };
    const r = await advanceStatement(
      env.DB,
      { id: job.id, step },
      { cursor: JSON.stringify(next), processed: rows.length, result: manifest },
    ).run();
    if (r.meta.changes !== 1) return null;
    step += 1;
    cursor = next;
  }
  return step;
}
