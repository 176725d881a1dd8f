/**
 * GET /v1/forecast over events through the real consumer: starts from the
 * Gold balance, projects the recurring streams on their schedules (the new
 * Netflix price, pay on the 1st), answers the same question the same way
 * (seeded by user and as-of), a dismissed stream is not projected, bad input is a 400.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "./helpers/auth";
import { AS_OF, type SeededUser, seedIntelUser } from "./helpers/intel-events";
import { tokenFor } from "./helpers/pipeline";

let u: SeededUser;
beforeAll(async () => {
  u = await seedIntelUser();
});

const get = (token: string, query: string) => api("GET", `/v1/forecast?${query}`, { token });

describe("GET /v1/forecast", () => {
  it("projects the streams from the Gold balance, deterministically", async () => {
    const r = await get(u.token, `as_of=${AS_OF}&horizon_days=90&buffer=500000`);
    expect(r.status).toBe(200);
    const f = r.body;
    expect(f).toMatchObject({
      object: "forecast",
      as_of: AS_OF,
      currency: "USD",
      horizon_days: 90,
      paths: 1_000,
      seed: `${u.f.userId}|${AS_OF}`,
      buffer: 500_000,
    });
    expect(f.starting_balance).toBe(u.account.balance);
    expect(f.days).toHaveLength(90);
    expect(f.days[0].date).toBe("2026-11-21");
    expect(f.projected).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ date: "2026-12-15", amount: -1_799 }),
        expect.objectContaining({ date: "2026-12-01", amount: 250_000 }),
        expect.objectContaining({ date: "2026-12-05", amount: -999 }),
      ]),
    );
    for (const d of f.days) {
      expect(d.p10).toBeLessThanOrEqual(d.p50);
      expect(d.p50).toBeLessThanOrEqual(d.p90);
    }
    expect(f.lowest.date >= "2026-11-21").toBe(true);
    // The balance never gets near the buffer's 5,000.00 from far above it, so P(below) is a probability.
    expect(f.probability_below_buffer).toBeGreaterThanOrEqual(0);
    expect(f.probability_below_buffer).toBeLessThanOrEqual(1);
    const again = await get(u.token, `as_of=${AS_OF}&horizon_days=90&buffer=500000`);
    expect(again.body).toEqual(f);
  });

  it("leaves a dismissed stream out of the projection", async () => {
    const streams = (await api("GET", `/v1/recurring?as_of=${AS_OF}`, { token: u.token })).body.data;
    const spotify = streams.find((s: any) => s.merchant_key.includes("spotify"));
    await api("PATCH", `/v1/recurring/${spotify.id}?as_of=${AS_OF}`, { token: u.token, body: { user_state: "dismissed" } });
    const f = (await get(u.token, `as_of=${AS_OF}&horizon_days=30`)).body;
    expect(f.projected.some((p: any) => p.stream_key.includes("spotify"))).toBe(false);
    await api("PATCH", `/v1/recurring/${spotify.id}?as_of=${AS_OF}`, { token: u.token, body: { user_state: "suggested" } });
  });

  it("gives a user without history a flat forecast at zero", async () => {
    const token = await tokenFor(`usr_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`);
    const f = (await get(token, `as_of=${AS_OF}&horizon_days=7`)).body;
    expect(f.days.map((d: any) => [d.p10, d.p90])).toEqual(Array.from({ length: 7 }, () => [0, 0]));
    expect(f.projected).toEqual([]);
  });

  it("refuses bad input with the 400 envelope", async () => {
    for (const q of [
      "horizon_days=0",
      "horizon_days=367",
      "horizon_days=1e2",
      "horizon_days=abc",
      "buffer=-1",
      "currency=usd",
      "as_of=2999-01-01",
      "as_of=yesterday",
    ]) {
      const r = await get(u.token, q);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
    }
    expect((await api("GET", "/v1/forecast")).status).toBe(401);
  });
});
