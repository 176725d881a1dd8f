/**
 * Connections per user, counted by the one hub a user id hashes to (every hub
 * is also the registry of its share of users): a claim per open connection,
 * released when it closes. At the limit, claims whose sockets are gone (a hub
 * that lost them without a close event) are checked with their hubs and
 * dropped, so a lost release never locks a user out.
 */
import { runMigrations } from "../sqlite-migrations";

const V1 = [
  `CREATE TABLE claims (user_id TEXT NOT NULL, hub TEXT NOT NULL, conn TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (user_id, hub, conn)) WITHOUT ROWID`,
];

export interface LiveCheck {
  /** The subset of `conns` that hub still holds. */
  live(hub: string, conns: string[]): Promise<string[]>;
}

export class ConnectionRegistry {
  constructor(
    readonly sql: SqlStorage,
    readonly check: LiveCheck,
  ) {
    runMigrations(sql, [V1]);
  }

  #claims(userId: string): { hub: string; conn: string }[] {
    return this.sql.exec<{ hub: string; conn: string }>("SELECT hub, conn FROM claims WHERE user_id = ?", userId).toArray();
  }

  async claim(userId: string, hub: string, conn: string, limit: number, now: number): Promise<boolean> {
    let claims = this.#claims(userId);
    if (claims.length >= limit) {
      const byHub = new Map<string, { hub: string; conn: string }[]>();
      for (const c of claims) byHub.set(c.hub, [...(byHub.get(c.hub) ?? []), c]);
      for (const [h, cs] of byHub) {
        const live = new Set(
          await this.check
            .live(
              h,
              cs.map((c) => c.conn),
            )
            .catch(() => cs.map((c) => c.conn)),
        );
        for (const c of cs) if (!live.has(c.conn)) this.release(userId, h, c.conn);
      }
      claims = this.#claims(userId);
      if (claims.length >= limit) return false;
    }
    this.sql.exec("INSERT OR REPLACE INTO claims (user_id, hub, conn, at) VALUES (?, ?, ?, ?)", userId, hub, conn, now);
    return true;
  }

  release(userId: string, hub: string, conn: string): void {
    this.sql.exec("DELETE FROM claims WHERE user_id = ? AND hub = ? AND conn = ?", userId, hub, conn);
  }
}

/** The hub that counts a user's connections. */
export function registryHubOf(userId: string, shards: number): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  return `hub-${(h >>> 0) % shards}`;
}

export function shardCount(env: Env): number {
  const n = Number(env.STREAM_HUB_SHARDS);
  return Number.isInteger(n) && n >= 1 && n <= 256 ? n : 4;
}

export function connectionLimit(env: Env): number {
  const n = Number(env.STREAM_MAX_CONNECTIONS_PER_USER);
  return Number.isInteger(n) && n >= 1 ? n : 10;
}
