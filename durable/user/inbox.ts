/**
 * The user's inbox (durable/user/schema.ts V2): one row per source event,
 * exactly once however often the source arrives (notification_sources is
 * checked and written in the same synchronous step as the row). Retention:
 * the newest MAX_NOTIFICATIONS, none older than RETENTION_DAYS.
 */
import { ALERT_KINDS, type NotificationKind } from "../../src/domain/notifications/kinds";
import type { NotificationDraft } from "../../src/domain/notifications/from-event";
import type { LazySql } from "./lazy-sql";

export const MAX_NOTIFICATIONS = 1_000;
export const RETENTION_DAYS = 90;
/** Sources are remembered longer than their notifications, and at most this many. */
const SOURCE_RETENTION_DAYS = 120;
const MAX_SOURCES = 5_000;
const DAY_MS = 86_400_000;

export type AlertState = "open" | "acknowledged" | "dismissed";

export interface Notification {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string | null;
  source_event_id: string;
  data: Record<string, unknown>;
  created_at: string;
  read_at: string | null;
  alert_state: AlertState | null;
}

type Row = {
  seq: number;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  source_event_id: string;
  data: string;
  created_at: number;
  read_at: number | null;
  alert_state: string | null;
};

const ID = /^ntf_(\d{12})$/;
export const idOf = (seq: number) => `ntf_${String(seq).padStart(12, "0")}`;
/** The seq of a well-formed id, else null (a malformed id is simply not found). */
export function seqOf(id: string): number | null {
  const m = ID.exec(id);
  return m ? Number(m[1]) : null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toNotification(r: Row): Notification {
  return {
    id: idOf(r.seq),
    kind: r.kind as NotificationKind,
    title: r.title,
    body: r.body,
    link: r.link,
    source_event_id: r.source_event_id,
    data: JSON.parse(r.data) as Record<string, unknown>,
    created_at: iso(r.created_at)!,
    read_at: iso(r.read_at),
    alert_state: r.alert_state as AlertState | null,
  };
}

export interface ListQuery {
  /** Only rows with seq below this (the cursor). */
  beforeSeq?: number;
  unread?: boolean;
  kind?: NotificationKind;
  limit: number;
}

const COLUMNS = "seq, kind, title, body, link, source_event_id, data, created_at, read_at, alert_state";

export class Inbox {
  constructor(readonly store: LazySql) {}

  /**
   * Adds one notification per source not seen before; `keep` false records
   * the source without a row (the kind is muted in the inbox). Returns what was added;
   * `onFresh` hears every source not seen before, with its row when one was added.
   */
  add(
    drafts: readonly { draft: NotificationDraft; keep: boolean }[],
    now: number,
    onFresh?: (draft: NotificationDraft, added: Notification | null) => void,
  ): Notification[] {
    if (drafts.length === 0) return [];
    const sql = this.store.writable();
    const added: Notification[] = [];
    for (const { draft, keep } of drafts) {
      const fresh = sql.exec(
        "INSERT OR IGNORE INTO notification_sources (source_event_id, seen_at) VALUES (?, ?)",
        draft.source_event_id,
        now,
      );
      if (fresh.rowsWritten === 0) continue;
      if (!keep) {
        onFresh?.(draft, null);
        continue;
      }
      const row = sql
        .exec<Row>(
          `INSERT OR IGNORE INTO notifications (kind, title, body, link, source_event_id, data, created_at, alert_state, alert_changed_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${COLUMNS}`,
          draft.kind,
          draft.title,
          draft.body,
          draft.link,
          draft.source_event_id,
          JSON.stringify(draft.data),
          now,
          ALERT_KINDS.has(draft.kind) ? "open" : null,
          ALERT_KINDS.has(draft.kind) ? now : null,
        )
        .toArray()[0];
      const n = row ? toNotification(row) : null;
      if (n) added.push(n);
      onFresh?.(draft, n);
    }
    if (added.length > 0) this.#prune(sql, now);
    return added;
  }

  #prune(sql: SqlStorage, now: number): void {
    sql.exec("DELETE FROM notifications WHERE created_at < ?", now - RETENTION_DAYS * DAY_MS);
    sql.exec(
      "DELETE FROM notifications WHERE seq IN (SELECT seq FROM notifications ORDER BY seq DESC LIMIT -1 OFFSET ?)",
      MAX_NOTIFICATIONS,
    );
    sql.exec("DELETE FROM notification_sources WHERE seen_at < ?", now - SOURCE_RETENTION_DAYS * DAY_MS);
    sql.exec(
      "DELETE FROM notification_sources WHERE source_event_id IN (SELECT source_event_id FROM notification_sources ORDER BY seen_at DESC LIMIT -1 OFFSET ?)",
      MAX_SOURCES,
    );
  }

  /** Newest first; one more row than asked tells whether a next page exists. */
  list(q: ListQuery): { items: Notification[]; more: boolean } {
    const sql = this.store.readable;
    if (!sql) return { items: [], more: false };
    const where = ["seq < ?"];
    const args: (string | number)[] = [q.beforeSeq ?? Number.MAX_SAFE_INTEGER];
    if (q.unread) where.push("read_at IS NULL");
    if (q.kind) {
      where.push("kind = ?");
      args.push(q.kind);
    }
    const rows = sql
      .exec<Row>(`SELECT ${COLUMNS} FROM notifications WHERE ${where.join(" AND ")} ORDER BY seq DESC LIMIT ?`, ...args, q.limit + 1)
      .toArray();
    return { items: rows.slice(0, q.limit).map(toNotification), more: rows.length > q.limit };
  }

  /** Oldest first: what a reconnecting socket missed after `afterSeq`. */
  since(afterSeq: number, limit: number): Notification[] {
    const sql = this.store.readable;
    if (!sql) return [];
    return sql
      .exec<Row>(`SELECT ${COLUMNS} FROM notifications WHERE seq > ? ORDER BY seq LIMIT ?`, afterSeq, limit)
      .toArray()
      .map(toNotification);
  }

  get(seq: number): Notification | null {
    const row = this.store.readable?.exec<Row>(`SELECT ${COLUMNS} FROM notifications WHERE seq = ?`, seq).toArray()[0];
    return row ? toNotification(row) : null;
  }

  /** Marks one read (idempotent: the first read time stays); null when there is no such notification. */
  markRead(seq: number, now: number): Notification | null {
    if (!this.get(seq)) return null;
    this.store.writable().exec("UPDATE notifications SET read_at = ? WHERE seq = ? AND read_at IS NULL", now, seq);
    return this.get(seq);
  }

  /** Marks every unread one read; returns how many changed. */
  markAllRead(now: number): number {
    const sql = this.store.readable;
    if (!sql) return 0;
    return sql.exec("UPDATE notifications SET read_at = ? WHERE read_at IS NULL", now).rowsWritten;
  }

  unreadCount(): number {
    const sql = this.store.readable;
    if (!sql) return 0;
    return sql.exec<{ n: number }>("SELECT count(*) AS n FROM notifications WHERE read_at IS NULL").one().n;
  }

  /** Alerts not dismissed, newest first (bounded by the inbox's retention). */
  alerts(limit: number): Notification[] {
    const sql = this.store.readable;
    if (!sql) return [];
    return sql
      .exec<Row>(`SELECT ${COLUMNS} FROM notifications WHERE alert_state IN ('open', 'acknowledged') ORDER BY seq DESC LIMIT ?`, limit)
      .toArray()
      .map(toNotification);
  }

  /** Acknowledges or dismisses an alert (and reads it); null when no alert has this id; dismissed is final. */
  setAlertState(seq: number, state: "acknowledged" | "dismissed", now: number): Notification | null {
    const current = this.get(seq);
    if (!current || current.alert_state === null) return null;
    if (current.alert_state === "dismissed" || current.alert_state === state) return current;
    this.store
      .writable()
      .exec(
        "UPDATE notifications SET alert_state = ?, alert_changed_at = ?, read_at = coalesce(read_at, ?) WHERE seq = ?",
        state,
        now,
        now,
        seq,
      );
    return this.get(seq);
  }

  lastSeq(): number {
    const sql = this.store.readable;
    if (!sql) return 0;
    return sql.exec<{ s: number | null }>("SELECT max(seq) AS s FROM notifications").one().s ?? 0;
  }
}
