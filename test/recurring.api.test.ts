/**
 * GET /v1/recurring and PATCH /v1/recurring/{id} over events through the real
 * consumer: streams with Plaid's fields and stable ids, the accepted price
 * change and its `recurring_price_changed` alert (once however many reads),
 * verdicts stored per user, the fixed-cost total, another user's id a 404,
 * bad input a 400 envelope.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "./helpers/auth";
import { AS_OF, type SeededUser, seedIntelUser } from "./helpers/intel-events";
import { tokenFor } from "./helpers/pipeline";

let u: SeededUser;
beforeAll(async () => {
  u = await seedIntelUser();
});

const list = async (token: string, asOf = AS_OF) => {
  const r = await api("GET", `/v1/recurring?as_of=${asOf}`, { token });
  expect(r.status).toBe(200);
  return r.body;
};
const byMerchant = (body: any, part: string) => body.data.find((s: any) => s.merchant_key.includes(part));

describe("recurring streams", () => {
  it("detects pay, Spotify and Netflix with the accepted price change, and totals the fixed costs", async () => {
    const body = await list(u.token);
    expect(body.data).toHaveLength(4);
    const netflix = byMerchant(body, "netflix");
    expect(netflix).toMatchObject({
      object: "recurring_stream",
      direction: "debit",
      currency: "USD",
      frequency: "monthly",
      amount_kind: "fixed",
      current_amount: 1_799,
      last_amount: 1_799,
      first_date: "2026-06-15",
      last_date: "2026-11-15",
      predicted_next_date: "2026-12-15",
      status: "MATURE",
      is_active: true,
      user_state: "suggested",
    });
    expect(netflix.transaction_ids).toHaveLength(6);
    expect(netflix.price_changes).toEqual([
      expect.objectContaining({
        rule_id: "recurring_price_changed",
        observed: expect.objectContaining({ new_amount: 1_799, effective_date: "2026-10-15" }),
      }),
    ]);
    expect(byMerchant(body, "acme")).toMatchObject({ direction: "credit", current_amount: 250_000 });
    // Groceries on a monthly schedule whose amount moves by more than 7.5 % each time: a variable stream, not a fixed cost.
    expect(byMerchant(body, "grocer")).toMatchObject({ frequency: "monthly", amount_kind: "variable", price_changes: [] });
    expect(body.monthly_fixed_costs).toEqual([{ currency: "USD", amount: 1_799 + 999 }]);
    // Stable ids: the same on every read.
    expect((await list(u.token)).data.map((s: any) => s.id)).toEqual(body.data.map((s: any) => s.id));
  });

  it("raises the price change alert into the inbox once, however many reads", async () => {
    await list(u.token);
    await list(u.token);
    const r = await api("GET", "/v1/notifications?kind=recurring_price_changed", { token: u.token });
    expect(r.status).toBe(200);
    expect(r.body.data).toHaveLength(1);
    expect(r.body.data[0].title).toContain("raised its price");
    const alerts = await api("GET", "/v1/alerts", { token: u.token });
    expect(alerts.body.data.filter((a: any) => a.kind === "recurring_price_changed")).toHaveLength(1);
  });

  it("stores the caller's verdict: a dismissed stream leaves the fixed costs; suggested forgets it", async () => {
    const spotify = byMerchant(await list(u.token), "spotify");
    const patched = await api("PATCH", `/v1/recurring/${spotify.id}?as_of=${AS_OF}`, { token: u.token, body: { user_state: "dismissed" } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ id: spotify.id, user_state: "dismissed" });
    const after = await list(u.token);
    expect(byMerchant(after, "spotify").user_state).toBe("dismissed");
    expect(after.monthly_fixed_costs).toEqual([{ currency: "USD", amount: 1_799 }]);
    await api("PATCH", `/v1/recurring/${spotify.id}?as_of=${AS_OF}`, { token: u.token, body: { user_state: "suggested" } });
    expect(byMerchant(await list(u.token), "spotify").user_state).toBe("suggested");
  });

  it("answers 404 for another user's stream and for an unknown id", async () => {
    const netflix = byMerchant(await list(u.token), "netflix");
    const stranger = await tokenFor(`usr_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`);
    const r = await api("PATCH", `/v1/recurring/${netflix.id}?as_of=${AS_OF}`, { token: stranger, body: { user_state: "confirmed" } });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe("not_found");
    expect((await list(stranger)).data).toEqual([]);
    const unknown = await api("PATCH", `/v1/recurring/rec_00000000000000000000?as_of=${AS_OF}`, {
      token: u.token,
      body: { user_state: "confirmed" },
    });
    expect(unknown.status).toBe(404);
    expect(byMerchant(await list(u.token), "netflix").user_state).toBe("suggested");
  });

  it("refuses bad input with the 400 envelope", async () => {
    const netflix = byMerchant(await list(u.token), "netflix");
    const cases: [string, string, unknown][] = [
      ["GET", "/v1/recurring?as_of=2026-13-01", undefined],
      ["GET", "/v1/recurring?as_of=2999-01-01", undefined],
      ["PATCH", "/v1/recurring/not-an-id", { user_state: "confirmed" }],
      ["PATCH", `/v1/recurring/${netflix.id}`, { user_state: "maybe" }],
      ["PATCH", `/v1/recurring/${netflix.id}`, { user_state: "confirmed", extra: 1 }],
      ["PATCH", `/v1/recurring/${netflix.id}`, {}],
    ];
    for (const [method, path, body] of cases) {
      const r = await api(method, path, { token: u.token, body });
      expect(r.status, `${method} ${path}`).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
    }
    expect((await api("GET", "/v1/recurring")).status).toBe(401);
  });
});
