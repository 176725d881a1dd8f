/**
 * The user's outbound webhook endpoints (webhook-rows.ts for their shape):
 * create (the secret returned once), read, change, re-enable, delete with
 * their delivery log, rotate the secret, and which enabled endpoints take a
 * notification kind.
 */
import { randomToken } from "../../src/domain/ids";
import type { NotificationKind } from "../../src/domain/notifications/kinds";
import { matches } from "../../src/domain/webhooks/event-types";
import { newSecret } from "../../src/domain/webhooks/signing";
import type { LazySql } from "./lazy-sql";
import {
  type CreateResult,
  type EndpointRow,
  endpointRow,
  MAX_ENDPOINTS,
  ROTATION_OVERLAP_MS,
  toEndpoint,
  type WebhookEndpoint,
} from "./webhook-rows";

export class WebhookEndpoints {
  constructor(readonly store: LazySql) {}

  #row(id: string): EndpointRow | null {
    return endpointRow(this.store, id);
  }

  count(): number {
    return this.store.readable?.exec<{ n: number }>("SELECT count(*) AS n FROM webhook_endpoints").one().n ?? 0;
  }

  create(input: { url: string; event_types: string[]; description: string | null }, now: number): CreateResult {
    if (this.count() >= MAX_ENDPOINTS) return { ok: false, reason: "limit" };
    const id = `whk_${randomToken()}`;
    const secret = newSecret();
    this.store
      .writable()
      .exec(
        "INSERT INTO webhook_endpoints (id, url, description, event_types, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        id,
        input.url,
        input.description,
        JSON.stringify(input.event_types),
        secret,
        now,
        now,
      );
    return { ok: true, endpoint: this.get(id, now)!, secret };
  }

  get(id: string, now: number): WebhookEndpoint | null {
    const r = this.#row(id);
    return r ? toEndpoint(r, now) : null;
  }

  list(now: number): WebhookEndpoint[] {
    const sql = this.store.readable;
    if (!sql) return [];
    return sql
      .exec<EndpointRow>("SELECT * FROM webhook_endpoints ORDER BY created_at, id")
      .toArray()
      .map((r) => toEndpoint(r, now));
  }

  /** Changes the fields given; `enabled: true` re-enables a disabled endpoint and forgets its failures. */
  update(
    id: string,
    patch: { url?: string; event_types?: string[]; description?: string | null; enabled?: boolean },
    now: number,
  ): WebhookEndpoint | null {
    const r = this.#row(id);
    if (!r) return null;
    const sql = this.store.writable();
    const enabled = patch.enabled ?? r.disabled_at === null;
    const reenable = enabled && r.disabled_at !== null;
    sql.exec(
      `UPDATE webhook_endpoints SET url = ?, event_types = ?, description = ?, disabled_at = ?, disabled_reason = ?,
         failing_since = ?, consecutive_failures = ?, updated_at = ? WHERE id = ?`,
      patch.url ?? r.url,
      patch.event_types ? JSON.stringify(patch.event_types) : r.event_types,
      patch.description === undefined ? r.description : patch.description,
      enabled ? null : (r.disabled_at ?? now),
      enabled ? null : (r.disabled_reason ?? "disabled by the user"),
      reenable ? null : r.failing_since,
      reenable ? 0 : r.consecutive_failures,
      now,
      id,
    );
    return this.get(id, now);
  }

  delete(id: string): boolean {
    const sql = this.store.readable;
    if (!sql || !this.#row(id)) return false;
    sql.exec("DELETE FROM webhook_attempts WHERE delivery_seq IN (SELECT seq FROM webhook_deliveries WHERE endpoint_id = ?)", id);
    sql.exec("DELETE FROM webhook_deliveries WHERE endpoint_id = ?", id);
    sql.exec("DELETE FROM webhook_endpoints WHERE id = ?", id);
    return true;
  }

  /** A new secret; the current one becomes the previous and signs alongside it for ROTATION_OVERLAP_MS. */
  rotate(id: string, now: number): { endpoint: WebhookEndpoint; secret: string } | null {
    const r = this.#row(id);
    if (!r) return null;
    const secret = newSecret();
    this.store
      .writable()
      .exec(
        "UPDATE webhook_endpoints SET secret = ?, previous_secret = ?, previous_secret_until = ?, updated_at = ? WHERE id = ?",
        secret,
        r.secret,
        now + ROTATION_OVERLAP_MS,
        now,
        id,
      );
    return { endpoint: this.get(id, now)!, secret };
  }

  /** Enabled endpoints whose filters take this kind. */
  subscribers(kind: NotificationKind): string[] {
    const sql = this.store.readable;
    if (!sql) return [];
    return sql
      .exec<Pick<EndpointRow, "id" | "event_types">>("SELECT id, event_types FROM webhook_endpoints WHERE disabled_at IS NULL")
      .toArray()
      .filter((r) => matches(JSON.parse(r.event_types) as string[], kind))
      .map((r) => r.id);
  }
}
