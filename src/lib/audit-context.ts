/** An audit entry for the request in hand: its principal is the actor, its request id goes on record. */
import type { Context } from "hono";
import { type AuditEntry, recordAudit } from "../db/audit";
import type { AppEnv } from "../types";

export function auditEntry(
  c: Context<AppEnv>,
  action: string,
  targetType: string,
  targetId: string | null,
  detail?: Record<string, unknown>,
): AuditEntry {
  const entry: AuditEntry = { actorId: c.get("principal").userId, action, targetType, targetId, requestId: c.get("requestId") };
  if (detail) entry.detail = detail;
  return entry;
}

/** Appends the entry for this request's principal. */
export function audit(c: Context<AppEnv>, action: string, targetType: string, targetId: string | null, detail?: Record<string, unknown>) {
  return recordAudit(c.env.DB, auditEntry(c, action, targetType, targetId, detail));
}
