/** The audit log (shared contract, built by the operations branch): every admin and security action. */
export interface AuditEntry {
  actorId: string;
  action: string;
  targetType: string;
  targetId: string | null;
  requestId: string | null;
  detail?: Record<string, unknown>;
} // never secrets, passwords, tokens, PANs

export async function recordAudit(_db: D1Database, _entry: AuditEntry, _now?: number): Promise<void> {
  // placeholder: replaced by the ops branch at merge
}
