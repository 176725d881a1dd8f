/**
 * News ranking, pure: popularity and personal relevance of an article at an
 * instant, and the total order a feed page is cut from. Scores depend only on
 * their inputs (counts, tags, the reader's profile and `now`), so a cursor that
 * pins `now` reproduces the same order on the next page.
 *
 *   engagement  = 1·clickers + 3·likes + 5·saves        (clickers: distinct readers who clicked)
 *   age_hours   = max(0, now − published_at) / 3 600 000
 *   popular     = engagement / (age_hours + 2)^1.5
 *   affinity    = 3·|symbols ∩ held| + 2·|symbols ∩ watched \ held| + 1·|topics ∩ followed|
 *   relevant    = (1 + affinity + engagement / 10) / (age_hours + 2)^0.5
 *
 * Ties (equal scores) fall back to newer first, then id descending, so the order is total.
 */

export const ENGAGEMENT_WEIGHTS = { clickers: 1, likes: 3, saves: 5 } as const;
export const POPULAR_GRAVITY = 1.5;
export const RELEVANT_GRAVITY = 0.5;
export const AFFINITY_WEIGHTS = { held: 3, watched: 2, topic: 1 } as const;
const HOUR_MS = 3_600_000;

export interface RankedArticle {
  id: string;
  publishedAt: number;
  topics: readonly string[];
  symbols: readonly string[];
  likes: number;
  saves: number;
  clickers: number;
}

export interface ReaderProfile {
  /** Symbols the reader holds a position in. */
  held: ReadonlySet<string>;
  /** Followed symbols (the watchlist stand-in). */
  watched: ReadonlySet<string>;
  topics: ReadonlySet<string>;
}

export interface Matches {
  held: string[];
  watched: string[];
  topics: string[];
}

export const engagement = (a: Pick<RankedArticle, "likes" | "saves" | "clickers">) =>
  ENGAGEMENT_WEIGHTS.clickers * a.clickers + ENGAGEMENT_WEIGHTS.likes * a.likes + ENGAGEMENT_WEIGHTS.saves * a.saves;

export const ageHours = (publishedAt: number, now: number) => Math.max(0, now - publishedAt) / HOUR_MS;

export function popularity(a: RankedArticle, now: number): number {
  return engagement(a) / (ageHours(a.publishedAt, now) + 2) ** POPULAR_GRAVITY;
}

/** Which of the article's tags the reader's profile matches (a held symbol is not also counted as watched). */
export function matchesOf(a: Pick<RankedArticle, "symbols" | "topics">, reader: ReaderProfile): Matches {
  const held = a.symbols.filter((s) => reader.held.has(s));
  const watched = a.symbols.filter((s) => !reader.held.has(s) && reader.watched.has(s));
  const topics = a.topics.filter((t) => reader.topics.has(t));
  return { held, watched, topics };
}

export function affinity(m: Matches): number {
  return AFFINITY_WEIGHTS.held * m.held.length + AFFINITY_WEIGHTS.watched * m.watched.length + AFFINITY_WEIGHTS.topic * m.topics.length;
}

export function relevance(a: RankedArticle, reader: ReaderProfile, now: number): number {
  return (1 + affinity(matchesOf(a, reader)) + engagement(a) / 10) / (ageHours(a.publishedAt, now) + 2) ** RELEVANT_GRAVITY;
}

export interface Scored<T> {
  item: T;
  score: number;
}

/** The feed order: score descending, then newer first, then id descending. */
export function compareScored<T extends Pick<RankedArticle, "id" | "publishedAt">>(x: Scored<T>, y: Scored<T>): number {
  if (x.score !== y.score) return y.score - x.score;
  if (x.item.publishedAt !== y.item.publishedAt) return y.item.publishedAt - x.item.publishedAt;
  return x.item.id < y.item.id ? 1 : x.item.id > y.item.id ? -1 : 0;
}

/** Position after which a page continues: strictly after the cursor's (score, published_at, id) in compareScored order. */
export function after<T extends Pick<RankedArticle, "id" | "publishedAt">>(
  s: Scored<T>,
  cursor: { score: number; publishedAt: number; id: string },
): boolean {
  return compareScored({ item: { id: cursor.id, publishedAt: cursor.publishedAt } as T, score: cursor.score }, s) < 0;
}

/** Scores, sorts and cuts one page (limit + 1 rows, so the caller knows whether more follow). */
export function rankPage<T extends RankedArticle>(
  articles: readonly T[],
  score: (a: T) => number,
  cursor: { score: number; publishedAt: number; id: string } | null,
  limit: number,
): Scored<T>[] {
  const scored = articles.map((item) => ({ item, score: score(item) })).sort(compareScored);
  const rest = cursor ? scored.filter((s) => after(s, cursor)) : scored;
  return rest.slice(0, limit + 1);
}
