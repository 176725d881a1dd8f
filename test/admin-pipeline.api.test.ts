/**
 * Operator routes over real local R2/D1/Queues: the Bronze listing with
 * counts, the pipeline-run audit with cursor paging, and the dead-letter
 * lifecycle (list, replay a corrected event into Gold, discard, conflicts).
 */
import { describe, expect, it } from "vitest";
import { api } from "./helpers/auth";
import { EventFactory } from "./helpers/events";
import { nextDay, uniqueDay } from "./helpers/calendar";
import { adminToken, deliverDeadLetters, deliverEvents, goldSnapshot, waitFor } from "./helpers/pipeline";

type DeadLetter = { id: string; event_id: string; status: string; attempts: number };

/** A dead letter by its event id, wherever it is in the list (every page is read). */
async function findDeadLetter(
  token: string,
  eventId: string,
  status?: string,
): Promise<(DeadLetter & Record<string, unknown>) | undefined> {
  let cursor: string | null = null;
  do {
    const query = `limit=100${status ? `&status=${status}` : ""}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const page: { body: { data: (DeadLetter & Record<string, unknown>)[]; next_cursor: string | null } } = await api(
      "GET",
      `/v1/admin/dead-letters?${query}`,
      { token },
    );
    const hit = page.body.data.find((d) => d.event_id === eventId);
    if (hit) return hit;
    cursor = page.body.next_cursor;
  } while (cursor);
  return undefined;
}

describe("GET /v1/admin/bronze", () => {
  it("lists one date's objects with their event counts and metadata, paged", async () => {
    // A day of its own: the listing covers every object of the date, whoever wrote it.
    const day = uniqueDay();
    const f = new EventFactory();
    const a = f.account();
    await deliverEvents([f.tx(a, "deposit", 1, { at: `${day}T01:00:00.000Z` }), f.tx(a, "deposit", 2, { at: `${day}T01:30:00.000Z` })]);
    await deliverEvents([f.tx(a, "deposit", 3, { at: `${day}T02:00:00.000Z` })]);
    await deliverEvents([f.tx(a, "deposit", 4, { at: `${nextDay(day)}T02:00:00.000Z` })]);
    const token = await adminToken();
    const res = await api("GET", `/v1/admin/bronze?date=${day}`, { token });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ object: "list", date: day, events: 3, has_more: false });
    expect(res.body.data.map((o: { count: number }) => o.count).sort()).toEqual([1, 2]);
    const two = res.body.data.find((o: { count: number }) => o.count === 2);
    expect(two).toMatchObject({
      min_occurred_at: `${day}T01:00:00.000Z`,
      max_occurred_at: `${day}T01:30:00.000Z`,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(two.key).toMatch(new RegExp(`^bronze/events/dt=${day}/hr=01/[0-9a-f]{32}\\.ndjson\\.gz$`));

    const first = await api("GET", `/v1/admin/bronze?date=${day}&limit=1`, { token });
    expect(first.body).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
    const second = await api("GET", `/v1/admin/bronze?date=${day}&limit=1&cursor=${encodeURIComponent(first.body.next_cursor)}`, {
      token,
    });
    expect(second.body.data).toHaveLength(1);
    expect(second.body.data[0].key).not.toBe(first.body.data[0].key);
    expect((await api("GET", "/v1/admin/bronze?date=2025-02-30", { token })).status).toBe(400);
  });
});

describe("GET /v1/admin/pipeline/runs", () => {
  it("shows per-batch counts and durations, newest first, with cursor paging and filters", async () => {
    const f = new EventFactory();
    const a = f.account();
    for (let i = 0; i < 3; i++) await deliverEvents([f.tx(a, "deposit", 10 + i, { at: "2025-09-11T10:00:00.000Z" }), `junk-${i}`]);
    const token = await adminToken();
    const page1 = await api("GET", "/v1/admin/pipeline/runs?limit=2&queue=finedge-events", { token });
    expect(page1.status).toBe(200);
    expect(page1.body.data).toHaveLength(2);
    expect(page1.body.data[0]).toMatchObject({
      queue: "finedge-events",
      status: "ok",
      messages: 2,
      valid: 1,
      invalid: 1,
      duplicates: 0,
      bronze_objects: 2,
    });
    expect(page1.body.data[0].duration_ms).toEqual(expect.any(Number));
    expect(page1.body.data[0].started_at >= page1.body.data[1].started_at).toBe(true);
    const page2 = await api("GET", `/v1/admin/pipeline/runs?limit=2&queue=finedge-events&cursor=${page1.body.next_cursor}`, { token });
    const ids = [...page1.body.data, ...page2.body.data].map((r: { id: string }) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(
      (await api("GET", "/v1/admin/pipeline/runs?status=failed", { token })).body.data.every(
        (r: { status: string }) => r.status === "failed",
      ),
    ).toBe(true);
    expect((await api("GET", "/v1/admin/pipeline/runs?limit=1000", { token })).status).toBe(400);
  });
});

describe("dead letters", () => {
  it("lists a poison event, replays a corrected body into Gold, and refuses to resolve it twice", async () => {
    const f = new EventFactory();
    const a = f.account();
    const broken = f.tx(a, "deposit", 4_200, { at: "2025-09-12T10:00:00.000Z" });
    const fixed = structuredClone(broken);
    (broken.payload as { currency: string }).currency = "usd";
    await deliverEvents([broken]);
    const token = await adminToken();

    const dl = await waitFor(() => findDeadLetter(token, broken.event_id, "open"));
    expect(dl).toMatchObject({ status: "open", source_queue: "finedge-events", attempts: 1, error: expect.stringMatching(/currency/) });
    expect(JSON.parse((dl as unknown as { raw_body: string }).raw_body)).toEqual(broken);

    const replayed = await api("POST", `/v1/admin/dead-letters/${dl.id}/replay`, { token, body: { body: fixed } });
    expect(replayed.status).toBe(200);
    expect(replayed.body).toMatchObject({ status: "replayed", resolved_by: expect.stringMatching(/^usr_/) });
    expect(JSON.parse(replayed.body.corrected_body)).toEqual(fixed); // kept: a Bronze replay applies the correction, not the original
    await waitFor(async () => (await goldSnapshot(f.userId)).daily.length === 1);
    expect((await goldSnapshot(f.userId)).daily[0]).toMatchObject({ inflow: 4_200 });

    expect((await api("POST", `/v1/admin/dead-letters/${dl.id}/replay`, { token })).status).toBe(409);
    expect((await api("POST", `/v1/admin/dead-letters/${dl.id}/discard`, { token })).status).toBe(409);
    expect((await api("POST", "/v1/admin/dead-letters/dl_000000000000000000000000/discard", { token })).status).toBe(404);
    expect((await api("POST", "/v1/admin/dead-letters/not-an-id/discard", { token })).status).toBe(400);
  });

  it("discards a dead letter and reopens it when the same body fails again; replaying as-is sends it back to the DLQ", async () => {
    const token = await adminToken();
    const poison = { event_id: `evt_poison_${crypto.randomUUID()}`, type: "mystery", version: 1 };
    await deliverDeadLetters([poison], 6);
    const find = () => findDeadLetter(token, poison.event_id);
    const row = (await find())!;
    expect((await api("POST", `/v1/admin/dead-letters/${row.id}/discard`, { token })).body).toMatchObject({ status: "discarded" });
    expect((await find())!.status).toBe("discarded");

    await deliverDeadLetters([poison], 6);
    expect(await find()).toMatchObject({ status: "open", attempts: 2 });

    // Replayed unchanged, it is still malformed: Silver dead-letters it again and the row reopens.
    expect((await api("POST", `/v1/admin/dead-letters/${row.id}/replay`, { token })).body.status).toBe("replayed");
    const back = await waitFor(
      async () => {
        const d = await find();
        return d?.status === "open" && d.attempts === 3 ? d : null;
      },
      15_000,
      100,
    );
    expect(back).toMatchObject({ status: "open", attempts: 3 });
  });
});
