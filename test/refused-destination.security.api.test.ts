/**
 * Refused transfer destinations (issue 8): a transfer to an id that cannot
 * receive is a 422, which confirms only an id the caller already has; probing
 * many ids is limited to 5 refusals a minute per user, then 429.
 */
import { describe, expect, it } from "vitest";
import { POLICIES } from "../src/lib/rate-policies";
import { balanceOf, deposit, key, openAccount, registerUser, transfer, type User } from "./helpers/ledger";

const unknownId = () =>
  `acc_${Array.from(crypto.getRandomValues(new Uint8Array(20)), (b) => "abcdefghjkmnpqrstvwxyz0123456789"[b % 32]).join("")}`;

async function roomInWindow(seconds: number) {
  const left = 60 - (Math.floor(Date.now() / 1000) % 60);
  if (left < seconds) await new Promise((r) => setTimeout(r, left * 1000 + 200));
}

async function funded(): Promise<{ u: User; a: string; b: string }> {
  const u = await registerUser();
  const a = await openAccount(u);
  const b = await openAccount(u, { type: "savings", name: "Savings" });
  await deposit(u, a, 10_000);
  return { u, a, b };
}

describe("refused destinations, per user", () => {
  it(`${POLICIES.refusedDestination.limit} refusals a minute are 422s; the next refused destination is a 429; real destinations and other users are unaffected`, async () => {
    await roomInWindow(15);
    const policy = POLICIES.refusedDestination;
    const { u, a, b } = await funded();
    for (let i = 0; i < policy.limit; i++) {
      const mode = i % 2 ? "pending" : "immediate";
      const r = await transfer(u, { from_account_id: a, to_account_id: unknownId(), amount: 100, mode });
      expect(r.status, JSON.stringify(r.body)).toBe(422);
      expect(r.body.error.code).toBe("transfer_rejected");
    }
    const refused = await transfer(u, { from_account_id: a, to_account_id: unknownId(), amount: 100 });
    expect(refused.status, JSON.stringify(refused.body)).toBe(429);
    expect(refused.body.error).toMatchObject({ code: "rate_limited", details: { policy: policy.name, limit: policy.limit } });
    const wait = Number(refused.headers.get("retry-after"));
    expect(wait >= 1 && wait <= policy.period).toBe(true);
    expect(refused.headers.get("ratelimit")).toBe(`"${policy.name}";r=0;t=${wait}`);
    expect(refused.headers.get("ratelimit-policy")).toContain(`"${policy.name}";q=${policy.limit};w=${policy.period}`);
    // A pending one too; nothing was held or moved by any of them.
    const pending = await transfer(u, { from_account_id: a, to_account_id: unknownId(), amount: 100, mode: "pending" });
    expect(pending.status).toBe(429);
    expect(await balanceOf(u, a)).toEqual({ posted: 10_000, pending: 0, available: 10_000 });
    // A transfer to a real account still goes through.
    const ok = await transfer(u, { from_account_id: a, to_account_id: b, amount: 100 });
    expect(ok.status).toBe(201);
    // Another user is not limited by this one's refusals.
    const other = await funded();
    const theirs = await transfer(other.u, { from_account_id: other.a, to_account_id: unknownId(), amount: 100 });
    expect(theirs.status).toBe(422);
  });

  it("an idempotent retry of a refusal replays it without counting", async () => {
    await roomInWindow(15);
    const { u, a } = await funded();
    const k = key();
    const body = { from_account_id: a, to_account_id: unknownId(), amount: 100 };
    for (let i = 0; i < 10; i++) {
      const r = await transfer(u, body, k);
      expect(r.status).toBe(422);
    }
    // One counted refusal so far: four more new ones are 422s, the fifth new one a 429.
    for (let i = 0; i < POLICIES.refusedDestination.limit - 1; i++) {
      expect((await transfer(u, { ...body, to_account_id: unknownId() })).status).toBe(422);
    }
    expect((await transfer(u, { ...body, to_account_id: unknownId() })).status).toBe(429);
  });
});
