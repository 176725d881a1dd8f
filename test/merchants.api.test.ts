/**
 * GET /v1/merchants and /v1/merchants/top over the typed Silver transactions
 * the EVENTS consumer wrote: spend (refunds and reversals folded in), visits,
 * first/last seen and the latest category per merchant entity and currency;
 * keyset pages that add up to the whole; nobody else's merchants; bad input a 400.
 */
import { describe, expect, it } from "vitest";
import { api, registerUser } from "./helpers/auth";
import { EventFactory } from "./helpers/events";
import { deliverEvents } from "./helpers/pipeline";

async function seeded() {
  const u = await registerUser();
  const f = new EventFactory(u.user.id);
  const a = f.account();
  const e = f.account("EUR");
  const coffee = (amount: number, at: string) => f.tx(a, "purchase", amount, { merchant: "SQ *BLUE BOTTLE #12", at });
  const big = f.tx(a, "purchase", 12_000, { merchant: "AMZN Mktp US*1X2Y3Z", at: "2026-10-03T10:00:00.000Z" });
  const c1 = coffee(450, "2026-09-30T08:00:00.000Z");
  const events = [
    f.opened(a),
    f.opened(e),
    c1,
    coffee(500, "2026-10-02T08:00:00.000Z"),
    big,
    f.reversal(a, big),
    f.tx(a, "purchase", 3_000, { merchant: "Amazon.com", at: "2026-10-05T10:00:00.000Z" }),
    f.tx(a, "refund", 1_000, { merchant: "AMAZON.COM", at: "2026-10-06T10:00:00.000Z" }),
    f.tx(e, "purchase", 800, { merchant: "Cafe Luna", at: "2026-10-07T10:00:00.000Z" }),
    f.tx(a, "deposit", 90_000, { description: "Payroll", at: "2026-10-01T00:00:00.000Z" }),
  ];
  await deliverEvents(events);
  // The user recategorizes the September coffee: the merchant's category is its latest entry's.
  await deliverEvents([f.annotate(a, c1, { category: "groceries" })]);
  return u;
}

describe("merchants", () => {
  it("lists the caller's merchants with spend, visits, first/last seen and category; pages add up", async () => {
    const u = await seeded();
    const other = await registerUser();
    const all = await api("GET", "/v1/merchants", { token: u.access_token });
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ object: "list", has_more: false, next_cursor: null });
    expect(all.body.data).toEqual([
      {
        object: "merchant",
        merchant_key: "amazon",
        name: "Amazon",
        currency: "USD",
        spend: "2000",
        visits: 1,
        refunds: 1,
        first_seen: "2026-10-03T10:00:00.000Z",
        last_seen: "2026-10-06T10:00:00.000Z",
        category: { key: "shopping", primary: "GENERAL_MERCHANDISE", detailed: "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE" },
      },
      expect.objectContaining({
        merchant_key: "blue-bottle",
        currency: "USD",
        spend: "950",
        visits: 2,
        refunds: 0,
        first_seen: "2026-09-30T08:00:00.000Z",
        last_seen: "2026-10-02T08:00:00.000Z",
        category: { key: "uncategorized", primary: "GENERAL_MERCHANDISE", detailed: "GENERAL_MERCHANDISE_OTHER_GENERAL_MERCHANDISE" },
      }),
      expect.objectContaining({
        merchant_key: "cafe-luna",
        currency: "EUR",
        spend: "800",
        visits: 1,
        category: expect.objectContaining({ key: "dining" }),
      }),
    ]);
    const first = await api("GET", "/v1/merchants?limit=2", { token: u.access_token });
    expect(first.body).toMatchObject({ has_more: true, next_cursor: expect.any(String) });
    const second = await api("GET", `/v1/merchants?limit=2&cursor=${first.body.next_cursor}`, { token: u.access_token });
    expect([...first.body.data, ...second.body.data]).toEqual(all.body.data);
    expect(second.body).toMatchObject({ has_more: false, next_cursor: null });

    // [from, to) with offsets applied: the coffee at 08:00Z is out at to=10:00+02:00 and in one second later.
    const window = (to: string) =>
      api("GET", `/v1/merchants?from=2026-10-01T00:00:00Z&to=${encodeURIComponent(to)}`, { token: u.access_token });
    expect((await window("2026-10-02T10:00:00+02:00")).body.data).toEqual([]);
    const october = await window("2026-10-02T10:00:01+02:00");
    expect(october.body.data.map((m: any) => [m.merchant_key, m.spend])).toEqual([["blue-bottle", "500"]]);
    expect((await api("GET", "/v1/merchants", { token: other.access_token })).body.data).toEqual([]);
  });

  it("top merchants: largest positive spend first, in a month or all time", async () => {
    const u = await seeded();
    const top = await api("GET", "/v1/merchants/top", { token: u.access_token });
    expect(top.status).toBe(200);
    expect(top.body.month).toBeNull();
    expect(top.body.data.map((m: any) => [m.merchant_key, m.spend])).toEqual([
      ["amazon", "2000"],
      ["blue-bottle", "950"],
      ["cafe-luna", "800"],
    ]);
    const sept = await api("GET", "/v1/merchants/top?month=2026-09&limit=1", { token: u.access_token });
    expect(sept.body).toMatchObject({ month: "2026-09", data: [{ merchant_key: "blue-bottle", spend: "450", visits: 1 }] });
    expect((await api("GET", "/v1/merchants/top?month=2026-11", { token: u.access_token })).body.data).toEqual([]);
  });

  it("bad input is a 400 in the error envelope; no token is a 401", async () => {
    const u = await registerUser();
    for (const q of [
      "limit=0",
      "limit=201",
      "limit=abc",
      "limit=05",
      "cursor=%%%",
      "cursor=bm90LWpzb24",
      "from=yesterday",
      "from=2026-10-02T00:00:00Z&to=2026-10-01T00:00:00Z",
      "unknown=1",
    ]) {
      const r = await api("GET", `/v1/merchants?${q}`, { token: u.access_token });
      expect(r.status, q).toBe(400);
      expect(r.body.error.code, q).toBe("validation_error");
    }
    for (const q of ["month=2026-13", "month=2026-1", "limit=51", "limit=-1", "from=2026-01-01T00:00:00Z"]) {
      expect((await api("GET", `/v1/merchants/top?${q}`, { token: u.access_token })).status, q).toBe(400);
    }
    expect((await api("GET", "/v1/merchants")).status).toBe(401);
    expect((await api("GET", "/v1/merchants/top")).status).toBe(401);
  });
});
