/**
 * The score sorts of GET /v1/news (popular, relevant) with stable pages: the
 * first page ranks the candidates at one instant; when more pages follow it
 * freezes that whole order, with each article's score and counts, in a rank
 * snapshot (src/db/news/rank-snapshots.ts) the cursor names with an offset.
 * Later pages are cut from the snapshot, so likes, saves or clicks arriving
 * between pages neither repeat nor skip an article; an article hidden since
 * is left out. The reader's matches are frozen with the order: a topic
 * followed between pages changes neither the ranks nor the `matched` shown.
 */
import { z } from "@hono/zod-openapi";
import { heldSymbols } from "../db/pipeline/portfolio-reads";
import { type ArticleRow, rankCandidates, visibleArticlesByIds } from "../db/news/articles";
import { readFollows } from "../db/news/follows";
import { type RankEntry, readRankSnapshot, saveRankSnapshot } from "../db/news/rank-snapshots";
import { readWatchlist } from "../db/watchlist";
import { DomainError } from "../domain/errors";
import { matchesOf, popularity, rankPage, type ReaderProfile, relevance } from "../domain/news/ranking";
import { decodeCursor, encodeCursor } from "../lib/cursor";
import { pageViews, parseTags } from "./news-view";

export type ScoreSort = "popular" | "relevant";

const ScoreCursor = z.object({
  s: z.enum(["popular", "relevant"]),
  k: z.string().max(64),
  o: z.number().int().min(1),
  t: z.string().max(64).nullable(),
  y: z.string().max(16).nullable(),
});

/** Held symbols (Gold), the watchlist plus followed symbols, and followed topics. */
export async function readerProfile(db: D1Database, userId: string): Promise<ReaderProfile> {
  const [held, follows, watchlist] = await Promise.all([heldSymbols(db, userId), readFollows(db, userId), readWatchlist(db, userId)]);
  return { held: new Set(held), watched: new Set([...watchlist, ...follows.symbols]), topics: new Set(follows.topics) };
}

const ranked = (r: ArticleRow) => ({
  ...parseTags(r),
  id: r.id,
  publishedAt: r.published_at,
  likes: r.likes,
  saves: r.saves,
  clickers: r.clickers,
});

interface Query {
  topic?: string;
  symbol?: string;
  sort: ScoreSort;
  cursor?: string;
  limit: number;
}

export async function scoreSortedPage(db: D1Database, userId: string, q: Query) {
  const after = decodeCursor(
    q.cursor,
    ScoreCursor.refine((k) => k.s === q.sort, "cursor of another sort").refine(
      (k) => k.t === (q.topic ?? null) && k.y === (q.symbol ?? null),
      "cursor of other filters",
    ),
  );
  const profile = q.sort === "relevant" && !after ? await readerProfile(db, userId) : null;
  let entries: RankEntry[];
  let snapshot: string | null = after?.k ?? null;
  const offset = after?.o ?? 0;
  if (after) {
    const snap = await readRankSnapshot(db, after.k, userId, Date.now());
    if (!snap) throw new DomainError("validation_error", "Cursor expired: start again from the first page", { field: "cursor" });
    entries = snap.entries;
  } else {
    const asOf = Date.now();
    const rows = await rankCandidates(db, q, asOf);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const score = profile
      ? (a: ReturnType<typeof ranked>) => relevance(a, profile, asOf)
      : (a: ReturnType<typeof ranked>) => popularity(a, asOf);
    entries = rankPage(rows.map(ranked), score, null, rows.length).map((s) => {
      const r = byId.get(s.item.id)!;
      return profile
        ? [r.id, s.score, r.likes, r.saves, r.clicks, matchesOf(s.item, profile)]
        : [r.id, s.score, r.likes, r.saves, r.clicks];
    });
    if (entries.length > q.limit) snapshot = await saveRankSnapshot(db, { userId, sort: q.sort, asOf, entries });
  }
  const slice = entries.slice(offset, offset + q.limit);
  const rows = new Map(
    (
      await visibleArticlesByIds(
        db,
        slice.map((e) => e[0]),
      )
    ).map((r) => [r.id, r]),
  );
  const shown = slice.flatMap(([id, score, likes, saves, clicks, matched]) => {
    const r = rows.get(id);
    return r ? [{ row: { ...r, likes, saves, clicks }, score, matched: q.sort === "relevant" ? (matched ?? null) : null }] : [];
  });
  const data = await pageViews(
    db,
    userId,
    shown.map((s) => s.row),
    (_r, i) => ({ score: shown[i]!.score, matched: shown[i]!.matched }),
  );
  const next = offset + q.limit;
  const hasMore = next < entries.length && snapshot !== null;
  return {
    object: "list" as const,
    data,
    has_more: hasMore,
    next_cursor: hasMore ? encodeCursor({ s: q.sort, k: snapshot, o: next, t: q.topic ?? null, y: q.symbol ?? null }) : null,
  };
}
