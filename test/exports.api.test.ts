/**
 * Exports round-trip: every dataset in NDJSON and Parquet, written by the
 * live JOBS consumer to R2, streamed back over HTTP and read with independent
 * readers (JSON.parse, hyparquet). A user exports only their own rows.
 */
import { parquetReadObjects } from "hyparquet";
import { exports as worker } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api } from "./helpers/auth";
import { EventFactory } from "./helpers/events";
import { adminToken, deliverEvents, rows, tokenFor, waitFor } from "./helpers/pipeline";

async function seedUser(f: EventFactory) {
  const a = f.account();
  const events = [
    f.opened(a, "2025-05-01T08:00:00.000Z"),
    f.tx(a, "deposit", 10_000, { at: "2025-05-01T09:00:00.000Z" }),
    f.tx(a, "purchase", 1_234, { at: "2025-05-20T09:00:00.000Z", merchant: "AMZN Mktp US*9" }),
    f.tx(a, "purchase", 99, { at: "2025-06-02T09:00:00.000Z", merchant: "Tiny Cafe", description: "latte ☕" }),
    f.tx(a, "fee", 5, { at: "2025-07-15T09:00:00.000Z" }), // outside the exported range
  ];
  await deliverEvents(events);
  return { account: a, events };
}

async function runExport(token: string, body: Record<string, string>) {
  const res = await api("POST", "/v1/exports", { token, body });
  expect(res.status).toBe(202);
  return waitFor(
    async () => {
      const r = await api("GET", `/v1/exports/${res.body.id}`, { token });
      if (r.body.status === "failed") throw new Error(r.body.error);
      return r.body.status === "succeeded" ? r.body : null;
    },
    20_000,
    100,
  );
}

async function download(token: string, url: string): Promise<Response> {
  return worker.default.fetch(`http://x${url}`, { headers: { authorization: `Bearer ${token}` } });
}

async function readAll(token: string, job: { files: { url: string; name: string }[] }, format: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (const f of job.files) {
    const res = await download(token, f.url);
    expect(res.status).toBe(200);
    if (format === "ndjson") {
      expect(res.headers.get("content-type")).toBe("application/x-ndjson");
      for (const line of new TextDecoder()
        .decode(await res.arrayBuffer())
        .split("\n")
        .filter(Boolean))
        out.push(JSON.parse(line));
    } else {
      const buf = await res.arrayBuffer();
      expect(new TextDecoder().decode(new Uint8Array(buf, 0, 4))).toBe("PAR1");
      const objs = (await parquetReadObjects({ file: buf })) as Record<string, unknown>[];
      // Normalize Parquet's native types (INT64 → bigint, TIMESTAMP → Date) for comparison.
      out.push(
        ...objs.map((o) =>
          Object.fromEntries(
            Object.entries(o).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v instanceof Date ? v.toISOString() : v]),
          ),
        ),
      );
    }
  }
  return out;
}

describe("exports", () => {
  for (const format of ["ndjson", "parquet"] as const) {
    it(`round-trips transactions, events and daily balances as ${format}, partitioned by month`, async () => {
      const f = new EventFactory();
      const { account, events } = await seedUser(f);
      await seedUser(new EventFactory()); // someone else's rows must not appear
      const token = await tokenFor(f.userId);

      const tx = await runExport(token, { dataset: "transactions", from: "2025-05-01", to: "2025-06-30", format });
      expect(tx.files.map((x: { name: string }) => x.name)).toEqual([
        `month=2025-05/part-00000.${format}`,
        `month=2025-06/part-00000.${format}`,
      ]);
      expect(tx.result).toMatchObject({ dataset: "transactions", format, rows: 3, scope: "user", partitioning: ["month"] });
      expect(tx.result.schema).toContainEqual({ name: "amount", type: "INT64" });
      expect(tx).toMatchObject({ processed: 3, total: 3, percent: 100 });
      const txRows = await readAll(token, tx, format);
      expect(txRows.map((r) => [r.kind, r.amount, r.merchant_normalized, r.category, r.account_id, r.user_id])).toEqual([
        ["deposit", 10_000, null, "uncategorized", account.id, f.userId],
        ["purchase", 1_234, "Amazon", "shopping", account.id, f.userId],
        ["purchase", 99, "Tiny Cafe", "dining", account.id, f.userId],
      ]);
      expect(txRows[2]).toMatchObject({ description: "latte ☕", occurred_at: "2025-06-02T09:00:00.000Z", event_date: "2025-06-02" });

      const ev = await runExport(token, { dataset: "events", from: "2025-05-01", to: "2025-06-30", format });
      const evRows = await readAll(token, ev, format);
      expect(evRows.map((r) => r.event_id).sort()).toEqual(
        events
          .slice(0, 4)
          .map((e) => e.event_id)
          .sort(),
      );
      const opened = evRows.find((r) => r.type === "account_opened")!;
      const payload = typeof opened.payload === "string" ? JSON.parse(opened.payload) : opened.payload;
      expect(payload).toEqual(events[0]!.payload);

      const db = await runExport(token, { dataset: "daily_balances", from: "2025-05-01", to: "2025-06-30", format });
      const dbRows = await readAll(token, db, format);
      expect(dbRows.map((r) => [r.day, r.inflow, r.outflow, r.closing_balance])).toEqual([
        ["2025-05-01", 10_000, 0, 10_000],
        ["2025-05-20", 0, 1_234, 8_766],
        ["2025-06-02", 0, 99, 8_667],
      ]);
    });
  }

  it("keeps exports private to their creator, lets an admin export everyone, and validates requests", async () => {
    const a = new EventFactory();
    const b = new EventFactory();
    await seedUser(a);
    await seedUser(b);
    const tokenA = await tokenFor(a.userId);
    const tokenB = await tokenFor(b.userId);
    const job = await runExport(tokenA, { dataset: "transactions", from: "2025-05-01", to: "2025-05-31", format: "ndjson" });
    expect((await api("GET", `/v1/exports/${job.id}`, { token: tokenB })).status).toBe(404);
    expect((await download(tokenB, job.files[0].url)).status).toBe(404);
    expect((await download(tokenA, `/v1/exports/${job.id}/files/${encodeURIComponent("month=2025-05/part-00009.ndjson")}`)).status).toBe(
      404,
    );
    expect((await download(tokenA, `/v1/exports/${job.id}/files/..%2F..%2Fbronze`)).status).toBe(404);

    const admin = await adminToken();
    expect((await api("GET", `/v1/exports/${job.id}`, { token: admin })).status).toBe(200);
    const all = await runExport(admin, { dataset: "transactions", from: "2025-05-01", to: "2025-05-31", format: "ndjson" });
    expect(all.result.scope).toBe("all");
    const exported = await readAll(admin, all, "ndjson");
    expect(all.result.rows).toBe(exported.length);
    // Other files share this D1 and may add May 2025 rows at any time: compare only this test's two users.
    for (const userId of [a.userId, b.userId]) {
      const [count] = await rows<{ n: number }>(
        "SELECT COUNT(*) AS n FROM silver_events WHERE type = 'transaction_posted' AND user_id = ?1 AND event_date BETWEEN '2025-05-01' AND '2025-05-31'",
        userId,
      );
      expect(count!.n).toBeGreaterThan(0);
      expect(exported.filter((r) => r.user_id === userId)).toHaveLength(count!.n);
    }

    for (const bad of [
      { dataset: "secrets", from: "2025-05-01", to: "2025-05-31" },
      { dataset: "events", from: "2025-06-01", to: "2025-05-31" },
      { dataset: "events", from: "2015-01-01", to: "2025-05-31" },
      { dataset: "events", from: "2025-05-01", to: "2025-05-31", format: "csv" },
      { dataset: "events", from: "2025-05-01", to: "2025-05-31", user_id: b.userId },
    ]) {
      expect((await api("POST", "/v1/exports", { token: tokenA, body: bad })).status).toBe(400);
    }
    expect((await api("POST", "/v1/exports", { body: { dataset: "events", from: "2025-05-01", to: "2025-05-31" } })).status).toBe(401);
  });

  it("lists a user's own exports, newest first, a page at a time", async () => {
    const a = new EventFactory();
    const b = new EventFactory();
    await seedUser(a);
    const tokenA = await tokenFor(a.userId);
    const tokenB = await tokenFor(b.userId);
    const first = await runExport(tokenA, { dataset: "events", from: "2025-05-01", to: "2025-05-31", format: "ndjson" });
    const second = await runExport(tokenA, { dataset: "transactions", from: "2025-05-01", to: "2025-06-30", format: "parquet" });
    const p1 = await api("GET", "/v1/exports?limit=1", { token: tokenA });
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ object: "list", has_more: true });
    expect(p1.body.data.map((e: { id: string }) => e.id)).toEqual([second.id]);
    expect(p1.body.data[0]).toMatchObject({ status: "succeeded", files: second.files });
    const p2 = await api("GET", `/v1/exports?limit=1&cursor=${encodeURIComponent(p1.body.next_cursor)}`, { token: tokenA });
    expect(p2.body.data.map((e: { id: string }) => e.id)).toEqual([first.id]);
    expect(p2.body).toMatchObject({ has_more: false, next_cursor: null });
    // Another user's list holds none of them; bad paging is a 400; no token, 401.
    expect((await api("GET", "/v1/exports", { token: tokenB })).body.data).toEqual([]);
    for (const q of ["limit=0", "limit=101", "limit=x", "cursor=%7Bnot"]) {
      expect((await api("GET", `/v1/exports?${q}`, { token: tokenA })).status).toBe(400);
    }
    expect((await api("GET", "/v1/exports")).status).toBe(401);
  });
});
