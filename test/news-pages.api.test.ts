/**
 * Stable score-sort pages (the first page freezes the ranking, its scores and
 * counts, and for `relevant` what the reader's profile matched; likes between
 * pages neither repeat nor skip an article) and the
 * admin article edit (PATCH /v1/admin/news/{id}), audited.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { randomToken } from "../src/domain/ids";
import { api, registerUser } from "./helpers/auth";
import { registerFeeder } from "./helpers/market";
import { adminToken } from "./helpers/pipeline";

const H = 3_600_000;
let feeder: string;
let admin: string;

beforeAll(async () => {
  feeder = (await registerFeeder()).token;
  admin = await adminToken();
});

const freshTopic = () => `t${randomToken().slice(0, 12)}`;
const article = (topic: string, ageH: number) => {
  const id = `test-${randomToken()}`;
  const published_at = new Date(Date.now() - ageH * H).toISOString();
  return { id, title: `Story ${id}`, summary: "S.", url: `https://news.example/${id}`, source: "W", published_at, topics: [topic] };
};
const ingest = (articles: unknown[]) => api("POST", "/v1/news", { token: feeder, body: { articles } });

describe("score sorts page from a frozen ranking", () => {
  for (const sort of ["popular", "relevant"]) {
    it(`${sort}: likes arriving between pages neither repeat nor skip, counts and scores stay those of page 1`, async () => {
      const topic = freshTopic();
      const reader = await registerUser();
      const others = await Promise.all([registerUser(), registerUser(), registerUser()]);
      const arts = [0, 1, 2, 3, 4, 5].map((i) => article(topic, i + 1));
      expect((await ingest(arts)).status).toBe(200);
      const feed = (q: string) => api("GET", `/v1/news?topic=${topic}&sort=${sort}&limit=2${q}`, { token: reader.access_token });
      const p1 = await feed("");
      expect(p1.status).toBe(200);
      expect(p1.body.has_more).toBe(true);
      const order1 = p1.body.data.map((a: { id: string }) => a.id);
      // Everyone likes the two articles that ranked last, so a live re-rank would pull them onto page 1 again.
      const last = arts
        .map((a) => a.id)
        .filter((id) => !order1.includes(id))
        .slice(-2);
      for (const u of others)
        for (const id of last) expect((await api("POST", `/v1/news/${id}/like`, { token: u.access_token })).status).toBe(200);
      const seen = [...order1];
      let cursor = p1.body.next_cursor;
      while (cursor) {
        const p = await feed(`&cursor=${cursor}`);
        expect(p.status).toBe(200);
        for (const a of p.body.data) {
          seen.push(a.id);
          expect(a.likes).toBe(0); // frozen at page 1's counts
        }
        cursor = p.body.next_cursor;
      }
      expect(seen).toHaveLength(6);
      expect(new Set(seen).size).toBe(6);
      // A new listing sees the likes: the liked articles now lead.
      const fresh = await feed("");
      expect(fresh.body.data.map((a: { id: string }) => a.id).sort()).toEqual([...last].sort());
      expect(fresh.body.data[0].likes).toBe(3);
    });
  }

  it("relevant: what the profile matched is frozen with the ranking, a topic followed between pages shows on a new listing only", async () => {
    const topic = freshTopic();
    const reader = await registerUser();
    expect((await ingest([0, 1, 2, 3].map((i) => article(topic, i + 1)))).status).toBe(200);
    const feed = (q: string) => api("GET", `/v1/news?topic=${topic}&sort=relevant&limit=2${q}`, { token: reader.access_token });
    const p1 = await feed("");
    expect(p1.body.data.map((a: { matched: unknown }) => a.matched)).toEqual([
      { held: [], watched: [], topics: [] },
      { held: [], watched: [], topics: [] },
    ]);
    const put = await api("PUT", "/v1/news/preferences", { token: reader.access_token, body: { topics: [topic], symbols: [] } });
    expect(put.status).toBe(200);
    const p2 = await feed(`&cursor=${p1.body.next_cursor}`);
    expect(p2.status).toBe(200);
    expect(p2.body.data).toHaveLength(2);
    for (const a of p2.body.data) expect(a.matched).toEqual({ held: [], watched: [], topics: [] });
    const fresh = await feed("");
    for (const a of fresh.body.data) expect(a.matched).toEqual({ held: [], watched: [], topics: [topic] });
  });

  it("refuses another user's cursor, another filter's cursor and a forged snapshot", async () => {
    const topic = freshTopic();
    await ingest([article(topic, 1), article(topic, 2), article(topic, 3)]);
    const [a, b] = [await registerUser(), await registerUser()];
    const first = await api("GET", `/v1/news?topic=${topic}&sort=popular&limit=1`, { token: a.access_token });
    const cur = first.body.next_cursor;
    expect((await api("GET", `/v1/news?topic=${topic}&sort=popular&cursor=${cur}`, { token: b.access_token })).status).toBe(400);
    expect((await api("GET", `/v1/news?sort=popular&cursor=${cur}`, { token: a.access_token })).status).toBe(400);
    expect((await api("GET", `/v1/news?topic=${topic}&sort=popular&cursor=${cur}`, { token: a.access_token })).status).toBe(200);
    const forged = btoa(JSON.stringify({ s: "popular", k: "rnk_nope", o: 1, t: topic, y: null })).replace(/=+$/, "");
    expect((await api("GET", `/v1/news?topic=${topic}&sort=popular&cursor=${forged}`, { token: a.access_token })).status).toBe(400);
  });
});

describe("PATCH /v1/admin/news/{id}", () => {
  it("edits text, url and tags (filters follow), audited with field names; 403/404/409/400", async () => {
    const topic = freshTopic();
    const [x, y] = [article(topic, 1), article(topic, 2)];
    await ingest([x, y]);
    const reader = await registerUser();
    const newTopic = freshTopic();
    const patch = (id: string, body: unknown, token = admin) => api("PATCH", `/v1/admin/news/${id}`, { token, body });
    expect((await patch(x.id, { title: "T" }, reader.access_token)).status).toBe(403);
    expect((await patch(x.id, { title: "T" }, feeder)).status).toBe(403);
    const r = await patch(x.id, { title: "Corrected", summary: "New.", topics: [newTopic], symbols: ["AAPL"], url: `${x.url}-v2` });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: x.id,
      title: "Corrected",
      summary: "New.",
      topics: [newTopic],
      symbols: ["AAPL"],
      url: `${x.url}-v2`,
    });
    const byTopic = await api("GET", `/v1/news?topic=${newTopic}`, { token: reader.access_token });
    expect(byTopic.body.data.map((a: { id: string }) => a.id)).toEqual([x.id]);
    const old = await api("GET", `/v1/news?topic=${topic}`, { token: reader.access_token });
    expect(old.body.data.map((a: { id: string }) => a.id)).toEqual([y.id]);
    const audit = await api("GET", "/v1/admin/audit?action=news.edit", { token: admin });
    const entry = audit.body.data.find((e: { target_id: string }) => e.target_id === x.id);
    expect(entry).toBeDefined();
    expect(JSON.stringify(entry)).toContain("summary");
    expect(JSON.stringify(entry)).not.toContain("Corrected");
    expect((await patch(y.id, { url: `${x.url}-v2` })).status).toBe(409);
    expect((await patch("nope", { title: "T" })).status).toBe(404);
    for (const bad of [{}, { title: "" }, { symbols: ["NOPE"] }, { url: "ftp://x" }, { hidden: true }, { topics: ["Bad Topic"] }])
      expect((await patch(y.id, bad)).status, JSON.stringify(bad)).toBe(400);
  });
});
