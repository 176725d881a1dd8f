/**
 * The user's sign-in sessions and disabled flag (durable/user/schema.ts V1).
 * A session is a refresh-token family: login opens one, each refresh renews
 * it, logout or reuse detection revokes it, disabling the user revokes all.
 * Every access token names its session (`sid`), and the Worker asks
 * `active(sid)` on each authenticated request, so the state lives in memory
 * too: that check reads no storage. Writes go to SQLite first, then memory.
 */
import { hasSchema, migrate } from "./schema";

/** Live sessions kept per user; opening one more revokes the oldest. */
export const MAX_SESSIONS = 50;

export type OpenResult = { ok: true } | { ok: false; reason: "disabled" };

export class UserSessions {
  readonly #sql: SqlStorage;
  #ready: boolean;
  /** session id → expiry (ms), the same rows as the table. */
  readonly #live = new Map<string, number>();
  #disabled = false;

  constructor(sql: SqlStorage) {
    this.#sql = sql;
    this.#ready = hasSchema(sql);
    if (!this.#ready) return;
    migrate(sql);
    for (const r of sql.exec<{ id: string; expires_at: number }>("SELECT id, expires_at FROM sessions")) this.#live.set(r.id, r.expires_at);
    this.#disabled = sql.exec("SELECT 1 FROM user_status WHERE id = 1").toArray().length > 0;
  }

  #writable(): SqlStorage {
    if (!this.#ready) {
      migrate(this.#sql);
      this.#ready = true;
    }
    return this.#sql;
  }

  /** The hot-path check: memory only. */
  active(sessionId: string, now = Date.now()): boolean {
    if (this.#disabled) return false;
    const expiresAt = this.#live.get(sessionId);
    return expiresAt !== undefined && expiresAt > now;
  }

  open(sessionId: string, expiresAt: number, now = Date.now()): OpenResult {
    if (this.#disabled) return { ok: false, reason: "disabled" };
    const sql = this.#writable();
    // Expired sessions go first, then the oldest beyond the cap.
    sql.exec("DELETE FROM sessions WHERE expires_at <= ?", now);
    sql.exec("INSERT OR REPLACE INTO sessions (id, opened_at, expires_at) VALUES (?, ?, ?)", sessionId, now, expiresAt);
    sql.exec("DELETE FROM sessions WHERE id IN (SELECT id FROM sessions ORDER BY opened_at DESC, id DESC LIMIT -1 OFFSET ?)", MAX_SESSIONS);
    this.#reload();
    return { ok: true };
  }

  /** Extends a live session (a refresh); false when it was revoked, expired or the user is disabled. */
  renew(sessionId: string, expiresAt: number, now = Date.now()): boolean {
    if (!this.active(sessionId, now)) return false;
    this.#writable().exec("UPDATE sessions SET expires_at = ? WHERE id = ?", expiresAt, sessionId);
    this.#live.set(sessionId, expiresAt);
    return true;
  }

  revoke(sessionId: string): void {
    if (!this.#live.has(sessionId)) return;
    this.#writable().exec("DELETE FROM sessions WHERE id = ?", sessionId);
    this.#live.delete(sessionId);
  }

  /** Revokes every session; returns how many were live. */
  revokeAll(): number {
    const n = this.#live.size;
    if (this.#ready) this.#sql.exec("DELETE FROM sessions");
    this.#live.clear();
    return n;
  }

  /** Revokes every session but `keep`; returns the ids revoked. */
  revokeAllExcept(keep: string): string[] {
    const others = [...this.#live.keys()].filter((id) => id !== keep);
    if (others.length === 0) return [];
    this.#writable().exec("DELETE FROM sessions WHERE id <> ?", keep);
    for (const id of others) this.#live.delete(id);
    return others;
  }

  /** Disables the user: every session ends and none can be opened or renewed. Idempotent. */
  disable(now = Date.now()): void {
    this.#writable().exec("INSERT OR IGNORE INTO user_status (id, disabled_at) VALUES (1, ?)", now);
    this.#disabled = true;
    this.revokeAll();
  }

  /** Lifts a disable: sessions can be opened again (none come back). Idempotent. */
  enable(): void {
    if (this.#ready) this.#sql.exec("DELETE FROM user_status WHERE id = 1");
    this.#disabled = false;
  }

  get disabled(): boolean {
    return this.#disabled;
  }

  #reload(): void {
    this.#live.clear();
    for (const r of this.#sql.exec<{ id: string; expires_at: number }>("SELECT id, expires_at FROM sessions"))
      this.#live.set(r.id, r.expires_at);
  }
}
