/**
 * POST/GET/DELETE /v1/simulations: every kind of change moves the scenario
 * the way it says against the baseline; the answer is seeded (the same body
 * gives the same numbers); saving, listing, comparing and deleting are per
 * user (another user's id is a 404); bad input is a 400 envelope; and a
 * simulation leaves the journal, Silver and Gold exactly as they were.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { EventFactory } from "./helpers/events";
import { AS_OF, seedIntelUser, type SeededUser } from "./helpers/intel-events";
import { allEntries, api, deposit, openAccount, registerUser } from "./helpers/ledger";
import { deliverEvents, goldSnapshot, rows, tokenFor, waitFor } from "./helpers/pipeline";

let u: SeededUser;
beforeAll(async () => {
  u = await seedIntelUser();
});

const run = (token: string, body: Record<string, unknown>) =>
  api("POST", "/v1/simulations", { token, body: { as_of: AS_OF, horizon_days: 60, ...body } });

describe("what-if simulations", () => {
  it("moves the scenario as each change says, against an unchanged baseline", async () => {
    const base = await run(u.token, { changes: [{ type: "income_change", percent: 0 }] });
    expect(base.status).toBe(200);
    expect(base.body.id).toBeNull();
    expect(base.body.scenario.end_p50).toBe(base.body.baseline.end_p50);
    const cut = (await run(u.token, { changes: [{ type: "income_change", percent: -50 }] })).body;
    // Two paydays (Dec 1, Jan 1) at half of 2,500.00.
    expect(cut.baseline.end_p50 - cut.scenario.end_p50).toBe(2 * 125_000);
    const gym = (
      await run(u.token, {
        changes: [{ type: "new_recurring_expense", name: "Gym", amount: 4_900, frequency: "monthly", start_date: "2026-12-10" }],
      })
    ).body;
    expect(gym.baseline.end_p50 - gym.scenario.end_p50).toBe(2 * 4_900);
    expect(gym.forecast.days.find((d: any) => d.date === "2026-12-10").recurring).toBe(-4_900);
    const car = (await run(u.token, { changes: [{ type: "one_off_withdrawal", amount: 1_000_000, date: "2026-12-02" }], buffer: 0 })).body;
    expect(car.baseline.end_p50 - car.scenario.end_p50).toBe(1_000_000);
    expect(car.scenario.lowest.p50).toBeLessThan(car.baseline.lowest.p50);
    const saver = (await run(u.token, { changes: [{ type: "rate_change", account: "savings", annual_rate_bp: 500 }] })).body;
    expect(saver.scenario.end_p50).toBeGreaterThan(saver.baseline.end_p50);
    const shock = (await run(u.token, { changes: [{ type: "market_shock", percent: -30 }] })).body;
    expect(shock.scenario).toMatchObject({ holdings_value: 0, end_p50: shock.baseline.end_p50 });
    expect(shock.scenario.risk).toMatchObject({ object: "risk_score", version: "risk-v1" });
    // Seeded: the same question, the same answer.
    const again = (await run(u.token, { changes: [{ type: "one_off_withdrawal", amount: 1_000_000, date: "2026-12-02" }], buffer: 0 }))
      .body;
    expect({ ...again, created_at: null }).toEqual({ ...car, created_at: null });
  });

  it("saves, lists, compares and deletes per user", async () => {
    const a = await run(u.token, { name: "Pay cut", save: true, changes: [{ type: "income_change", percent: -10 }] });
    const b = await run(u.token, {
      name: "Gym",
      save: true,
      changes: [{ type: "new_recurring_expense", name: "Gym", amount: 4_900, frequency: "monthly", start_date: "2026-12-10" }],
    });
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).toMatch(/^sim_/);
    const listed = (await api("GET", "/v1/simulations", { token: u.token })).body.data;
    expect(listed.map((s: any) => s.name)).toEqual(["Gym", "Pay cut"]);
    const got = await api("GET", `/v1/simulations/${a.body.id}`, { token: u.token });
    expect(got.body).toEqual(a.body);
    const cmp = await api("GET", `/v1/simulations/compare?ids=${b.body.id},${a.body.id}`, { token: u.token });
    expect(cmp.status).toBe(200);
    expect(cmp.body.data.map((s: any) => [s.id, s.scenario.end_p50])).toEqual([
      [b.body.id, b.body.scenario.end_p50],
      [a.body.id, a.body.scenario.end_p50],
    ]);
    const stranger = await tokenFor(`usr_${crypto.randomUUID().replaceAll("-", "").slice(0, 20)}`);
    expect((await api("GET", `/v1/simulations/${a.body.id}`, { token: stranger })).status).toBe(404);
    expect((await api("DELETE", `/v1/simulations/${a.body.id}`, { token: stranger })).status).toBe(404);
    expect((await api("GET", `/v1/simulations/compare?ids=${a.body.id},${b.body.id}`, { token: stranger })).status).toBe(404);
    expect((await api("GET", "/v1/simulations", { token: stranger })).body.data).toEqual([]);
    expect((await api("DELETE", `/v1/simulations/${a.body.id}`, { token: u.token })).status).toBe(204);
    expect((await api("GET", `/v1/simulations/${a.body.id}`, { token: u.token })).status).toBe(404);
  });

  it("refuses bad input with the 400 envelope", async () => {
    const bad: Record<string, unknown>[] = [
      { changes: [] },
      { changes: [{ type: "lottery_win" }] },
      { changes: [{ type: "income_change", percent: -101 }] },
      { changes: [{ type: "income_change", percent: 1.001 }] },
      { changes: [{ type: "one_off_withdrawal", amount: 0, date: "2026-12-02" }] },
      { changes: [{ type: "one_off_withdrawal", amount: 10.5, date: "2026-12-02" }] },
      { changes: [{ type: "one_off_withdrawal", amount: 100, date: AS_OF }] },
      { changes: [{ type: "one_off_withdrawal", amount: 100, date: "2027-06-01" }] },
      { changes: [{ type: "new_recurring_expense", name: "X", amount: 100, frequency: "semi_monthly", start_date: "2026-12-02" }] },
      { changes: [{ type: "rate_change", account: "checking", annual_rate_bp: 100 }] },
      { changes: [{ type: "market_shock", percent: -30, extra: true }] },
      { horizon_days: 0, changes: [{ type: "market_shock", percent: -30 }] },
      { as_of: "2999-01-01", changes: [{ type: "market_shock", percent: -30 }] },
    ];
    for (const body of bad) {
      const r = await run(u.token, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
    }
    for (const path of ["/v1/simulations/nope", "/v1/simulations/compare?ids=sim_0123456789abcdefghjk"]) {
      expect((await api("GET", path, { token: u.token })).status, path).toBe(400);
    }
  });

  it("leaves the journal, Silver and Gold exactly as they were", async () => {
    const owner = await registerUser();
    const accountId = await openAccount(owner);
    await deposit(owner, accountId, 500_000);
    await waitFor(async () => (await rows("SELECT 1 FROM gold_daily_balances WHERE account_id = ?1", accountId)).length > 0, 30_000);
    const f = new EventFactory(owner.user.id);
    const history = f.account();
    await deliverEvents([
      f.tx(history, "deposit", 250_000, { at: "2026-10-01T09:00:00.000Z", merchant: "ACME PAYROLL" }),
      f.tx(history, "deposit", 250_000, { at: "2026-11-01T09:00:00.000Z", merchant: "ACME PAYROLL" }),
      f.tx(history, "purchase", 1_599, { at: "2026-10-15T09:00:00.000Z", merchant: "NETFLIX.COM" }),
      f.tx(history, "purchase", 1_599, { at: "2026-11-15T09:00:00.000Z", merchant: "NETFLIX.COM" }),
    ]);
    const snapshot = async () => ({
      journal: await allEntries(owner, accountId),
      gold: await goldSnapshot(owner.user.id),
      silver: await rows("SELECT event_id, payload FROM silver_events WHERE user_id = ?1 ORDER BY event_id", owner.user.id),
      balance: (await api("GET", `/v1/accounts/${accountId}`, { token: owner.access_token })).body.balance,
    });
    const before = await snapshot();
    expect(before.journal).toHaveLength(1);
    const r = await api("POST", "/v1/simulations", {
      token: owner.access_token,
      body: {
        save: true,
        changes: [
          { type: "income_change", percent: -100 },
          { type: "one_off_withdrawal", amount: 400_000, date: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10) },
          { type: "rate_change", account: "credit", annual_rate_bp: 2_499 },
          { type: "market_shock", percent: -50 },
        ],
      },
    });
    expect(r.status).toBe(201);
    expect(r.body.scenario.end_p50).toBeLessThan(r.body.baseline.end_p50);
    expect(await snapshot()).toEqual(before);
  });
});
