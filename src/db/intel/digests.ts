/**
 * Stored digests (src/db/schema/digests.ts): written once per user × kind ×
 * period start × currency (a re-run keeps the first row and reads it back),
 * listed newest period first with a keyset cursor, read one by id. Another
 * user's digest reads as none.
 */
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { Digest, DigestPeriod } from "../../domain/intel/digest";
import { digests } from "../schema/digests";

export interface StoredDigest {
  id: string;
  created_at: string;
  digest: Digest;
}

type Row = typeof digests.$inferSelect;
const view = (r: Row): StoredDigest => ({ id: r.id, created_at: r.createdAt, digest: JSON.parse(r.body) as Digest });

/** Store the digest unless that user × kind × start × currency exists; either way, the stored one. */
export async function storeDigest(db: D1Database, userId: string, id: string, digest: Digest, now: string): Promise<StoredDigest> {
  const d = drizzle(db);
  await d
    .insert(digests)
    .values({
      id,
      userId,
      kind: digest.period,
      periodStart: digest.start,
      periodEnd: digest.end,
      currency: digest.currency,
      body: JSON.stringify(digest),
      createdAt: now,
    })
    .onConflictDoNothing();
  const [row] = await d
    .select()
    .from(digests)
    .where(
      and(
        eq(digests.userId, userId),
        eq(digests.kind, digest.period),
        eq(digests.periodStart, digest.start),
        eq(digests.currency, digest.currency),
      ),
    );
  return view(row!);
}

export interface DigestPage {
  kind?: DigestPeriod;
  currency?: string;
  limit: number;
  /** The last row of the previous page: (period start, id). */
  before: { start: string; id: string } | null;
}

/** The user's stored digests, newest period first (ties by id, descending). */
export async function listDigests(db: D1Database, userId: string, page: DigestPage): Promise<StoredDigest[]> {
  const cond: SQL[] = [eq(digests.userId, userId)];
  if (page.kind) cond.push(eq(digests.kind, page.kind));
  if (page.currency) cond.push(eq(digests.currency, page.currency));
  if (page.before)
    cond.push(
      or(lt(digests.periodStart, page.before.start), and(eq(digests.periodStart, page.before.start), lt(digests.id, page.before.id)))!,
    );
  const rows = await drizzle(db)
    .select()
    .from(digests)
    .where(and(...cond))
    .orderBy(desc(digests.periodStart), desc(digests.id))
    .limit(page.limit);
  return rows.map(view);
}

export async function digestById(db: D1Database, userId: string, id: string): Promise<StoredDigest | null> {
  const [row] = await drizzle(db)
    .select()
    .from(digests)
    .where(and(eq(digests.id, id), eq(digests.userId, userId)));
  return row ? view(row) : null;
}
