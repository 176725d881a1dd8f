/**
 * The append-only audit log (D1 `audit_log`, src/db/schema/operations.ts):
 * who did what to which target, when, under which request id. This module is
 * the only writer and has no update or delete; retention never prunes it.
 * `detail` is scrubbed before it is stored: any key that names a secret
 * (password, token, secret, key, cookie, authorization, PAN or national id)
 * is dropped at every depth, strings are cut at 500 characters and the whole
 * at 4 KiB, so a careless caller cannot put a credential on record.
 */
import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import { auditLog } from "./schema";

export interface AuditEntry {
  actorId: string;
  action: string;
  targetType: string;
  targetId: string | null;
  requestId: string | null;
  /** Never secrets, passwords, tokens or PANs (they are dropped if given). */
  detail?: Record<string, unknown>;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor_id: string;
  action: string;
  target_type: string;
  target_id: string | null;
  request_id: string | null;
  detail: Record<string, unknown> | null;
}

export interface AuditQuery {
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  /** ISO instants, inclusive `from`, exclusive `to`. */
  from?: string;
  to?: string;
  /** Rows with a smaller id than this (the cursor), newest first. */
  beforeId?: number;
  limit: number;
}

const SECRET_KEY = /pass|token|secret|key|cookie|authori[sz]ation|credential|pan$|^pan|card|national|ssn/i;
const MAX_STRING = 500;
const MAX_DETAIL = 4096;

/** The detail without secret-named keys, strings truncated, at most 4 levels deep. */
export function scrubDetail(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (value === null || typeof value !== "object") return typeof value === "bigint" ? String(value) : value;
  if (depth >= 4) return "[nested]";
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrubDetail(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!SECRET_KEY.test(k) && v !== undefined) out[k] = scrubDetail(v, depth + 1);
  return out;
}

function detailText(detail: Record<string, unknown> | undefined): string | null {
  if (!detail) return null;
  const text = JSON.stringify(scrubDetail(detail));
  if (text === "{}") return null;
  return text.length > MAX_DETAIL ? JSON.stringify({ truncated: true }) : text;
}

/** The statement that appends one entry, for callers that batch it with their own write. */
export function auditStatement(db: D1Database, entry: AuditEntry, now = Date.now()): D1PreparedStatement {
  return db
    .prepare("INSERT INTO audit_log (at, actor_id, action, target_type, target_id, request_id, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
    .bind(
      new Date(now).toISOString(),
      entry.actorId.slice(0, 200),
      entry.action.slice(0, 100),
      entry.targetType.slice(0, 100),
      entry.targetId?.slice(0, 200) ?? null,
      entry.requestId,
      detailText(entry.detail),
    );
}

export async function recordAudit(db: D1Database, entry: AuditEntry, now?: number): Promise<void> {
  await auditStatement(db, entry, now).run();
}

/** A page of entries, newest first; one row more than `limit` when there is a next page. */
export async function listAudit(db: D1Database, q: AuditQuery): Promise<AuditRecord[]> {
  const where: SQL[] = [];
  if (q.actorId) where.push(eq(auditLog.actorId, q.actorId));
  if (q.action) where.push(eq(auditLog.action, q.action));
  if (q.targetType) where.push(eq(auditLog.targetType, q.targetType));
  if (q.targetId) where.push(eq(auditLog.targetId, q.targetId));
  if (q.from) where.push(gte(auditLog.at, q.from));
  if (q.to) where.push(lt(auditLog.at, q.to));
  if (q.beforeId !== undefined) where.push(lte(auditLog.id, q.beforeId - 1));
  const rows = await drizzle(db)
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(q.limit + 1);
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    actor_id: r.actorId,
    action: r.action,
    target_type: r.targetType,
    target_id: r.targetId,
    request_id: r.requestId,
    detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null,
  }));
}
