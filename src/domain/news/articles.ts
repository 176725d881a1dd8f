/**
 * What a news article may be: the limits a batch is validated against, and
 * the id an article without one gets (derived from its URL, so re-ingesting
 * the same story is a duplicate, never a second copy).
 */

export const NEWS_LIMITS = {
  batch: 50,
  title: 300,
  summary: 1000,
  url: 2048,
  source: 100,
  topics: 8,
  symbols: 10,
  /** How far ahead of the server's clock published_at may be (feeder clock skew). */
  futureSkewMs: 5 * 60_000,
  /** Followed topics and followed symbols, each. */
  follows: 50,
} as const;

export const EARLIEST_PUBLISHED = Date.parse("2000-01-01T00:00:00Z");
export const TOPIC_PATTERN = /^[a-z0-9][a-z0-9-]{0,31}$/;
export const ARTICLE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;

/** An absolute http(s) URL with a host and no credentials. */
export function isArticleUrl(raw: string): boolean {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return false;
  }
  return (u.protocol === "https:" || u.protocol === "http:") && u.hostname.length > 0 && !u.username && !u.password;
}

export function publishedAtProblem(ms: number, now: number): string | null {
  if (!Number.isFinite(ms)) return "must be an RFC 3339 instant";
  if (ms < EARLIEST_PUBLISHED) return "must be 2000-01-01 or later";
  if (ms > now + NEWS_LIMITS.futureSkewMs) return "must not be more than 5 minutes in the future";
  return null;
}

const hex = (bytes: ArrayBuffer) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** `nws_` + the first 24 hex digits of SHA-256(url). */
export async function articleIdForUrl(url: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(url));
  return `nws_${hex(digest).slice(0, 24)}`;
}
