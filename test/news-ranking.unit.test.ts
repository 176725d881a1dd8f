/**
 * The news ranking core against hand-computed cases: popularity with time
 * decay, relevance from holdings, followed symbols and topics, the total
 * order with its tie-breaks, and pages cut after a cursor.
 */
import { describe, expect, it } from "vitest";
import { engagement, matchesOf, popularity, rankPage, type RankedArticle, type ReaderProfile, relevance } from "../src/domain/news/ranking";

const NOW = Date.parse("2026-12-03T12:00:00Z");
const H = 3_600_000;

function article(id: string, ageH: number, counts: Partial<RankedArticle> = {}): RankedArticle {
  return { id, publishedAt: NOW - ageH * H, topics: [], symbols: [], likes: 0, saves: 0, clickers: 0, ...counts };
}

// A: 2 h old, 3 clickers + 2 likes + 1 save → engagement 3 + 6 + 5 = 14; (2+2)^1.5 = 8 → 1.75
const A = article("a", 2, { clickers: 3, likes: 2, saves: 1 });
// B: 7 h old, 12 + 15 + 15 = 42; (7+2)^1.5 = 27 → 1.5556
const B = article("b", 7, { clickers: 12, likes: 5, saves: 3, symbols: ["AAPL", "MSFT"], topics: ["ai"] });
// C: brand new, 1 + 3 = 4; 2^1.5 = 2.8284 → 1.4142
const C = article("c", 0, { clickers: 1, likes: 1, symbols: ["MSFT"] });

const reader: ReaderProfile = { held: new Set(["AAPL"]), watched: new Set(["MSFT", "AAPL"]), topics: new Set(["ai"]) };
const nobody: ReaderProfile = { held: new Set(), watched: new Set(), topics: new Set() };

describe("popularity", () => {
  it("weights saves over likes over clicks and decays with age", () => {
    expect(engagement(A)).toBe(14);
    expect(popularity(A, NOW)).toBeCloseTo(1.75, 10);
    expect(popularity(B, NOW)).toBeCloseTo(42 / 27, 10);
    expect(popularity(C, NOW)).toBeCloseTo(4 / 2 ** 1.5, 10);
    const page = rankPage([C, B, A], (a) => popularity(a, NOW), null, 10);
    expect(page.map((s) => s.item.id)).toEqual(["a", "b", "c"]);
  });

  it("treats an article dated in the future as brand new", () => {
    expect(popularity(article("f", -5, { likes: 1 }), NOW)).toBeCloseTo(3 / 2 ** 1.5, 10);
  });
});

describe("relevance", () => {
  it("counts a held symbol once (not also as watched), followed symbols and topics", () => {
    expect(matchesOf(B, reader)).toEqual({ held: ["AAPL"], watched: ["MSFT"], topics: ["ai"] });
    // B: (1 + 3 + 2 + 1 + 42/10) / sqrt(9) = 11.2 / 3
    expect(relevance(B, reader, NOW)).toBeCloseTo(11.2 / 3, 10);
    // C: (1 + 2 + 0.4) / sqrt(2)
    expect(relevance(C, reader, NOW)).toBeCloseTo(3.4 / Math.SQRT2, 10);
    // A: (1 + 0 + 1.4) / sqrt(4) = 1.2
    expect(relevance(A, reader, NOW)).toBeCloseTo(1.2, 10);
    const page = rankPage([A, B, C], (a) => relevance(a, reader, NOW), null, 10);
    expect(page.map((s) => s.item.id)).toEqual(["b", "c", "a"]);
  });

  it("without a profile it is engagement with a gentle decay", () => {
    // A: 2.4 / 2 = 1.2; B: 5.2 / 3 = 1.733; C: 1.4 / 1.414 = 0.99
    const page = rankPage([A, B, C], (a) => relevance(a, nobody, NOW), null, 10);
    expect(page.map((s) => s.item.id)).toEqual(["b", "a", "c"]);
  });
});

describe("pages", () => {
  it("breaks equal scores by newer first, then id descending, and continues strictly after the cursor", () => {
    const same = [article("x1", 3), article("x3", 1), article("x2", 3), article("x0", 5)];
    const all = rankPage(same, () => 0, null, 10).map((s) => s.item.id);
    expect(all).toEqual(["x3", "x2", "x1", "x0"]);
    const first = rankPage(same, () => 0, null, 2);
    expect(first.map((s) => s.item.id)).toEqual(["x3", "x2", "x1"]); // limit + 1: one more follows
    const last = first[1]!;
    const next = rankPage(same, () => 0, { score: last.score, publishedAt: last.item.publishedAt, id: last.item.id }, 2);
    expect(next.map((s) => s.item.id)).toEqual(["x1", "x0"]);
  });

  it("gives every article exactly once across pages of a score sort", () => {
    const many = Array.from({ length: 23 }, (_, i) => article(`n${i}`, i % 5, { likes: i % 3, clickers: i % 4 }));
    const seen: string[] = [];
    let cursor: { score: number; publishedAt: number; id: string } | null = null;
    for (;;) {
      const page: { item: RankedArticle; score: number }[] = rankPage(many, (a) => popularity(a, NOW), cursor, 5);
      const shown = page.slice(0, 5);
      seen.push(...shown.map((s) => s.item.id));
      if (page.length <= 5) break;
      const l = shown[shown.length - 1]!;
      cursor = { score: l.score, publishedAt: l.item.publishedAt, id: l.item.id };
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
  });
});
