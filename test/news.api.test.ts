/**
 * The news feed through the API: batch ingest (validated, idempotent per id
 * and URL), recent / popular / relevant orders against hand-computed scores,
 * stable cursors, idempotent likes and saves, counted clicks, the saved list,
 * follow preferences, moderation (hidden articles vanish), roles and bad input.
 * Each test tags its articles with a fresh topic, so feeds never mix tests.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomToken } from "../src/domain/ids";
import { api, registerUser } from "./helpers/auth";
import { EventFactory, tradeEvent } from "./helpers/events";
import { registerFeeder } from "./helpers/market";
import { adminToken, deliverEvents, registerAccount, waitFor } from "./helpers/pipeline";

const H = 3_600_000;
let feeder: string;
let admin: string;
let reader: Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  feeder = (await registerFeeder()).token;
  admin = await adminToken();
  reader = await registerUser();
});

const freshTopic = () => `t${randomToken().slice(0, 12)}`;
const article = (topic: string, ageH: number, extra: Record<string, unknown> = {}) => {
  const id = `test-${randomToken()}`;
  return {
    id,
    title: `Story ${id}`,
    summary: "Something happened.",
    url: `https://news.example/${id}`,
    source: "Test Wire",
    published_at: new Date(Date.now() - ageH * H).toISOString(),
    topics: [topic],
    ...extra,
  };
};
const ingest = (articles: unknown[], token = feeder) => api("POST", "/v1/news", { token, body: { articles } });
const feed = (query: string, token = reader.access_token) => api("GET", `/v1/news?${query}`, { token });
const act = (id: string, action: string, token = reader.access_token) => api("POST", `/v1/news/${id}/${action}`, { token });

/** Every page of a listing, following next_cursor. */
async function allPages(query: string, token = reader.access_token): Promise<any[]> {
  const out: any[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 20; i++) {
    const r = await feed(`${query}${cursor ? `&cursor=${cursor}` : ""}`, token);
    expect(r.status).toBe(200);
    out.push(...r.body.data);
    cursor = r.body.next_cursor;
    if (!r.body.has_more) return out;
  }
  throw new Error("too many pages");
}

describe("POST /v1/news", () => {
  it("stores a batch once: a resent id or URL is a duplicate, an article without id gets one from its URL", async () => {
    const topic = freshTopic();
    const a = article(topic, 1, { symbols: ["AAPL"] });
    const noId = { ...article(topic, 2) } as Record<string, unknown>;
    delete noId.id;
    const first = await ingest([a, noId]);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ created: 2, duplicates: 0 });
    expect(first.body.results[0]).toEqual({ index: 0, id: a.id, status: "created" });
    expect(first.body.results[1].id).toMatch(/^nws_[0-9a-f]{24}$/);

    const again = await ingest([{ ...a, title: "Changed" }, { ...a, id: `other-${randomToken()}` }, noId], admin);
    expect(again.body).toMatchObject({ created: 0, duplicates: 3 });
    expect(again.body.results.map((r: any) => r.id)).toEqual([a.id, a.id, first.body.results[1].id]);

    const listed = await allPages(`topic=${topic}`);
    expect(listed.map((x) => x.id)).toEqual([a.id, first.body.results[1].id]);
    expect(listed[0]).toMatchObject({ title: a.title, topics: [topic], symbols: ["AAPL"], hidden: false, likes: 0, score: null });
    expect((await allPages("symbol=AAPL")).some((x) => x.id === a.id)).toBe(true);
  });

  it("refuses a user token (403) and no token (401)", async () => {
    const a = article(freshTopic(), 0);
    expect((await ingest([a], reader.access_token)).status).toBe(403);
    expect((await api("POST", "/v1/news", { body: { articles: [a] } })).status).toBe(401);
  });

  it("refuses a batch with any bad article and stores none of it", async () => {
    const topic = freshTopic();
    const good = article(topic, 0);
    const bad: [string, unknown][] = [
      ["ftp url", { url: "ftp://news.example/x" }],
      ["script url", { url: "javascript:alert(1)" }],
      ["url with credentials", { url: "https://u:p@news.example/x" }],
      ["relative url", { url: "/x" }],
      ["future date", { published_at: new Date(Date.now() + 3_600_000).toISOString() }],
      ["ancient date", { published_at: "1999-12-31T23:59:59Z" }],
      ["no offset", { published_at: "2026-12-01T10:00:00" }],
      ["long title", { title: "x".repeat(301) }],
      ["empty summary", { summary: "  " }],
      ["control chars", { title: "a\u0007b" }],
      ["unknown symbol", { symbols: ["ZZZZ"] }],
      ["repeated symbol", { symbols: ["AAPL", "AAPL"] }],
      ["too many topics", { topics: Array.from({ length: 9 }, (_, i) => `x${i}`) }],
      ["bad topic", { topics: ["Not A Slug"] }],
      ["bad id", { id: "has space" }],
      ["extra field", { likes: 5 }],
    ];
    for (const [label, change] of bad) {
      const r = await ingest([good, { ...article(topic, 0), ...(change as object) }]);
      expect(r.status, label).toBe(400);
      expect(r.body.error.code, label).toBe("validation_error");
    }
    expect((await ingest([])).status).toBe(400);
    expect((await ingest(Array.from({ length: 51 }, () => article(topic, 0)))).status).toBe(400);
    const huge = Array.from({ length: 50 }, () => article(topic, 0, { summary: "y".repeat(1000), title: "z".repeat(300) }));
    expect((await ingest(huge)).status).toBe(413); // over the API's 64 KiB body limit
    expect((await api("POST", "/v1/news", { token: feeder, rawBody: "{" })).status).toBe(400);
    expect((await api("POST", "/v1/news", { token: feeder, body: { articles: [good], extra: 1 } })).status).toBe(400);
    expect(await allPages(`topic=${topic}`)).toEqual([]);
  });
});

describe("sorts", () => {
  it("recent: newest first, pages by cursor without repeats", async () => {
    const topic = freshTopic();
    const items = [3, 1, 4, 0, 2].map((h) => article(topic, h));
    await ingest(items);
    const r = await feed(`topic=${topic}&limit=2`);
    expect(r.body.data).toHaveLength(2);
    expect(r.body.has_more).toBe(true);
    const ids = (await allPages(`topic=${topic}&limit=2`)).map((x) => x.id);
    expect(ids).toEqual([3, 1, 4, 0, 2].map((i) => items[i]!.id)); // ages 0, 1, 2, 3, 4 h
  });

  it("popular: likes, saves and distinct clickers with time decay, as computed by hand", async () => {
    const topic = freshTopic();
    const [a, b, c, d] = [article(topic, 1), article(topic, 10), article(topic, 0), article(topic, 5)];
    await ingest([a, b, c, d]);
    const [u1, u2, u3] = [reader, await registerUser(), await registerUser()];
    for (const u of [u1, u2]) expect((await act(a!.id, "like", u.access_token)).status).toBe(200);
    await act(a!.id, "like", u1.access_token); // a repeat: still 2 likes
    await act(a!.id, "save", u1.access_token);
    await act(a!.id, "save", u1.access_token);
    for (const u of [u1, u2, u3]) {
      await act(b!.id, "like", u.access_token);
      await act(b!.id, "save", u.access_token);
      await act(b!.id, "click", u.access_token);
    }
    await act(c!.id, "click", u3.access_token);
    const clicked = await act(c!.id, "click", u3.access_token);
    expect(clicked.body).toMatchObject({ clicks: 2, viewer: { clicks: 2, liked: false, saved: false } });

    const pages = await allPages(`topic=${topic}&sort=popular&limit=3`);
    expect(pages.map((x) => x.id)).toEqual([a!.id, b!.id, c!.id, d!.id]);
    const [sa, sb, sc, sd] = pages.map((x) => x.score);
    expect(pages[0]).toMatchObject({ likes: 2, saves: 1, clicks: 0, viewer: { liked: true, saved: true, clicks: 0 } });
    expect(sa).toBeCloseTo(11 / 3 ** 1.5, 3); // (3·2 + 5·1) / (1 + 2)^1.5 = 2.117
    expect(sb).toBeCloseTo(27 / 12 ** 1.5, 3); // (3·3 + 5·3 + 3) / (10 + 2)^1.5 = 0.650
    expect(sc).toBeCloseTo(1 / 2 ** 1.5, 3); // one distinct clicker (two clicks) / 2^1.5 = 0.354
    expect(sd).toBe(0);
  });

  it("relevant: held symbols (Gold), followed symbols and topics, as computed by hand", async () => {
    const me = await registerUser();
    const broker = new EventFactory(me.user.id).account();
    await registerAccount(broker, "brokerage");
    await deliverEvents([
      tradeEvent(broker, new Date().toISOString(), { symbol: "AAPL", side: "buy", qty: "1", price: "100", cash: 10_000 }),
    ]);
    const topic = freshTopic();
    const followed = freshTopic();
    const put = await api("PUT", "/v1/news/preferences", { token: me.access_token, body: { topics: [followed], symbols: ["MSFT"] } });
    expect(put.body).toEqual({ topics: [followed], symbols: ["MSFT"] });
    const held = article(topic, 3, { symbols: ["AAPL"] });
    const watched = article(topic, 1, { symbols: ["MSFT"] });
    const topical = article(topic, 0, { topics: [topic, followed] });
    const other = article(topic, 0, { symbols: ["TSLA"] });
    await ingest([held, watched, topical, other]);

    const ranked = await waitFor(async () => {
      const list = await allPages(`topic=${topic}&sort=relevant&limit=2`, me.access_token);
      return list[0]?.matched.held.length ? list : null;
    });
    expect(ranked.map((x) => x.id)).toEqual([held.id, watched.id, topical.id, other.id]);
    expect(ranked.map((x) => x.matched)).toEqual([
      { held: ["AAPL"], watched: [], topics: [] },
      { held: [], watched: ["MSFT"], topics: [] },
      { held: [], watched: [], topics: [followed] },
      { held: [], watched: [], topics: [] },
    ]);
    expect(ranked[0].score).toBeCloseTo(4 / Math.sqrt(5), 3); // (1 + 3) / (3 + 2)^0.5 = 1.789
    expect(ranked[1].score).toBeCloseTo(3 / Math.sqrt(3), 3); // (1 + 2) / (1 + 2)^0.5 = 1.732
    expect(ranked[2].score).toBeCloseTo(2 / Math.SQRT2, 3); // (1 + 1) / 2^0.5 = 1.414
    expect(ranked[3].score).toBeCloseTo(1 / Math.SQRT2, 3);
    // Another reader without holdings or follows sees the plain decay order.
    const plain = (await allPages(`topic=${topic}&sort=relevant`)).map((x) => x.id);
    expect(new Set(plain.slice(0, 2))).toEqual(new Set([topical.id, other.id])); // 1 / 2^0.5 each
    expect(plain.slice(2)).toEqual([watched.id, held.id]); // 1 / 3^0.5, then 1 / 5^0.5
  });

  it("a score cursor keeps its ranking instant and refuses another sort", async () => {
    const topic = freshTopic();
    await ingest([article(topic, 1), article(topic, 2), article(topic, 3)]);
    const first = await feed(`topic=${topic}&sort=popular&limit=1`);
    expect(first.body.next_cursor).toEqual(expect.any(String));
    expect((await feed(`topic=${topic}&sort=relevant&cursor=${first.body.next_cursor}`)).status).toBe(400);
    expect((await feed(`topic=${topic}&sort=recent&cursor=${first.body.next_cursor}`)).status).toBe(400);
    // An article ingested after the first page does not slip into the same listing.
    await ingest([article(topic, 0)]);
    const rest = await feed(`topic=${topic}&sort=popular&limit=10&cursor=${first.body.next_cursor}`);
    expect(rest.body.data).toHaveLength(2);
  });
});

describe("likes, saves and the saved list", () => {
  it("like and save are idempotent both ways; saved lists newest save first and pages", async () => {
    const topic = freshTopic();
    const items = [article(topic, 1), article(topic, 2), article(topic, 3)];
    await ingest(items);
    const u = await registerUser();
    for (const a of items) expect((await act(a.id, "save", u.access_token)).body.viewer.saved).toBe(true);
    expect((await act(items[0]!.id, "save", u.access_token)).body.saves).toBe(1);
    expect((await act(items[0]!.id, "like", u.access_token)).body).toMatchObject({ likes: 1, viewer: { liked: true } });
    expect((await act(items[0]!.id, "unlike", u.access_token)).body).toMatchObject({ likes: 0, viewer: { liked: false } });
    expect((await act(items[0]!.id, "unlike", u.access_token)).body.likes).toBe(0);
    const saved: string[] = [];
    let cursor = "";
    for (;;) {
      const r = await api("GET", `/v1/news/saved?limit=2${cursor}`, { token: u.access_token });
      expect(r.status).toBe(200);
      saved.push(...r.body.data.map((x: any) => x.id));
      if (!r.body.has_more) break;
      cursor = `&cursor=${r.body.next_cursor}`;
    }
    expect(new Set(saved)).toEqual(new Set(items.map((a) => a.id)));
    expect(saved).toHaveLength(3);
    await act(items[1]!.id, "unsave", u.access_token);
    const after = await api("GET", "/v1/news/saved", { token: u.access_token });
    expect(after.body.data.map((x: any) => x.id).sort()).toEqual([items[0]!.id, items[2]!.id].sort());
    // Another reader's saves are their own.
    expect((await api("GET", "/v1/news/saved", { token: reader.access_token })).body.data.some((x: any) => x.id === items[0]!.id)).toBe(
      false,
    );
  });
});

describe("preferences and topics", () => {
  it("replaces follows, lists topics with counts, refuses bad input", async () => {
    const topic = freshTopic();
    await ingest([article(topic, 1), article(topic, 2)]);
    const u = await registerUser();
    expect((await api("GET", "/v1/news/preferences", { token: u.access_token })).body).toEqual({ topics: [], symbols: [] });
    await api("PUT", "/v1/news/preferences", { token: u.access_token, body: { topics: [topic, "macro"], symbols: ["NVDA"] } });
    const put = await api("PUT", "/v1/news/preferences", { token: u.access_token, body: { topics: [topic], symbols: [] } });
    expect(put.body).toEqual({ topics: [topic], symbols: [] });
    const topics = await api("GET", "/v1/news/topics", { token: u.access_token });
    expect(topics.body.data.find((t: any) => t.topic === topic)).toEqual({ topic, articles: 2, followed: true });
    const bad = [
      { topics: ["BAD"], symbols: [] },
      { topics: [topic, topic], symbols: [] },
      { topics: [], symbols: ["ZZZZ"] },
      { topics: Array.from({ length: 51 }, (_, i) => `x${i}`), symbols: [] },
      { topics: [] },
      { topics: [], symbols: [], extra: 1 },
    ];
    for (const body of bad) expect((await api("PUT", "/v1/news/preferences", { token: u.access_token, body })).status).toBe(400);
    expect((await api("GET", "/v1/news/preferences", { token: u.access_token })).body).toEqual({ topics: [topic], symbols: [] });
  });
});

describe("moderation", () => {
  it("a hidden article vanishes from feeds, saved lists, topics and interactions until restored; audited by admins only", async () => {
    const topic = freshTopic();
    const [a, b] = [article(topic, 1), article(topic, 2)];
    await ingest([a, b]);
    await act(a.id, "save");
    await act(a.id, "like");
    for (const token of [reader.access_token, feeder])
      expect((await api("POST", `/v1/admin/news/${a.id}/hide`, { token })).status).toBe(403);
    const hidden = await api("POST", `/v1/admin/news/${a.id}/hide`, { token: admin });
    expect(hidden.status).toBe(200);
    expect(hidden.body).toMatchObject({ id: a.id, hidden: true, likes: 1, saves: 1 });
    expect((await api("POST", `/v1/admin/news/${a.id}/hide`, { token: admin })).status).toBe(200);
    for (const sort of ["recent", "popular", "relevant"])
      expect((await allPages(`topic=${topic}&sort=${sort}`)).map((x) => x.id)).toEqual([b.id]);
    expect((await api("GET", "/v1/news/saved", { token: reader.access_token })).body.data.some((x: any) => x.id === a.id)).toBe(false);
    const topics = await api("GET", "/v1/news/topics", { token: reader.access_token });
    expect(topics.body.data.find((t: any) => t.topic === topic).articles).toBe(1);
    for (const action of ["like", "unlike", "save", "unsave", "click"]) expect((await act(a.id, action)).status).toBe(404);

    const restored = await api("POST", `/v1/admin/news/${a.id}/restore`, { token: admin });
    expect(restored.body).toMatchObject({ hidden: false, likes: 1, saves: 1 });
    expect((await allPages(`topic=${topic}`)).map((x) => x.id)).toEqual([a.id, b.id]);
    expect((await api("POST", "/v1/admin/news/nope/hide", { token: admin })).status).toBe(404);
    expect((await api("POST", "/v1/admin/news/bad%20id/restore", { token: admin })).status).toBe(400);
  });
});

describe("bad input on the reader routes", () => {
  it("answers 400 / 401 / 404 in the error envelope, never a 5xx", async () => {
    const t = reader.access_token;
    for (const q of [
      "sort=best",
      "topic=Not%20Slug",
      "symbol=ZZZZ",
      "symbol=aapl",
      "limit=0",
      "limit=51",
      "limit=x",
      "cursor=%%%",
      "cursor=eyJ4IjoxfQ",
    ]) {
      const r = await feed(q, t);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe("validation_error");
    }
    for (const q of ["cursor=garbage", "limit=0"]) expect((await api("GET", `/v1/news/saved?${q}`, { token: t })).status, q).toBe(400);
    for (const action of ["like", "unlike", "save", "unsave", "click"]) {
      expect((await act("no-such-article", action)).status).toBe(404);
      expect((await act("bad%20id", action)).status).toBe(400);
      expect((await act(`${"x".repeat(65)}`, action)).status).toBe(400);
      expect((await api("POST", `/v1/news/no-such-article/${action}`)).status).toBe(401);
    }
    for (const path of ["/v1/news", "/v1/news/saved", "/v1/news/topics", "/v1/news/preferences"])
      expect((await api("GET", path)).status).toBe(401);
    expect((await api("PUT", "/v1/news/preferences", { token: t, rawBody: "[" })).status).toBe(400);
  });
});
