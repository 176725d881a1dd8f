/**
 * D1 access to frozen feed rankings: the first page of a `popular` or
 * `relevant` listing that has more pages stores its whole order (article id,
 * score and the counts the ranking used); the cursor names the snapshot and
 * an offset, so later pages are cut from exactly that order (a `relevant`
 * entry also keeps what the reader's profile matched then). Snapshots live
 * RANK_SNAPSHOT_TTL_MS; each new one deletes a bounded batch of expired ones.
 */
import { randomToken } from "../../domain/ids";
import type { Matches } from "../../domain/news/ranking";

export const RANK_SNAPSHOT_TTL_MS = 60 * 60_000;
const PRUNE_BATCH = 100;

/** [article id, score, likes, saves, clicks, matches (relevant only)] */
export type RankEntry = [string, number, number, number, number, Matches?];

export interface RankSnapshot {
  id: string;
  userId: string;
  sort: "popular" | "relevant";
  asOf: number;
  entries: RankEntry[];
}

export async function saveRankSnapshot(db: D1Database, s: Omit<RankSnapshot, "id">): Promise<string> {
  const id = `rnk_${randomToken(16)}`;
  await db.batch([
    db
      .prepare(`DELETE FROM news_rank_snapshots WHERE id IN (SELECT id FROM news_rank_snapshots WHERE as_of < ?1 LIMIT ${PRUNE_BATCH})`)
      .bind(s.asOf - RANK_SNAPSHOT_TTL_MS),
    db
      .prepare("INSERT INTO news_rank_snapshots (id, user_id, sort, as_of, entries) VALUES (?1, ?2, ?3, ?4, ?5)")
      .bind(id, s.userId, s.sort, s.asOf, JSON.stringify(s.entries)),
  ]);
  return id;
}

/** The caller's own snapshot, or null (unknown, another user's, or expired at `now`). */
export async function readRankSnapshot(db: D1Database, id: string, userId: string, now: number): Promise<RankSnapshot | null> {
  const r = await db
    .prepare("SELECT id, user_id, sort, as_of, entries FROM news_rank_snapshots WHERE id = ?1 AND user_id = ?2 AND as_of >= ?3")
    .bind(id, userId, now - RANK_SNAPSHOT_TTL_MS)
    .first<{ id: string; user_id: string; sort: "popular" | "relevant"; as_of: number; entries: string }>();
  return r && { id: r.id, userId: r.user_id, sort: r.sort, asOf: r.as_of, entries: JSON.parse(r.entries) as RankEntry[] };
}
