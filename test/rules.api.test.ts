/**
 * /v1/rules over the typed Silver transactions: CRUD with specificity, enable
 * and disable; the preview ranks stages (pre → default → post) and, within a
 * stage, lets the more specific rule win; learned proposals need 3 of a
 * merchant's last 5 purchases in one category with a user edit among them,
 * and a learned rule (even disabled) stops the proposal; another user's rule
 * or account is a 404; bad input is a 400.
 */
import { describe, expect, it } from "vitest";
import { api, registerUser } from "./helpers/auth";
import { EventFactory, type TestAccount } from "./helpers/events";
import { deposit, openAccount, postTx, type User } from "./helpers/ledger";
import { deliverEvents, rows, waitFor } from "./helpers/pipeline";

const create = (u: User, body: unknown) => api("POST", "/v1/rules", { token: u.access_token, body });
const bottle = { field: "merchant", op: "is", value: "blue-bottle" };

async function withHistory() {
  const u = await registerUser();
  const acct = await openAccount(u);
  const f = new EventFactory(u.user.id);
  const a: TestAccount = { id: acct, userId: u.user.id, currency: "USD", seq: 1000, balance: 0 };
  const buys = [450, 1_200].map((amount, i) =>
    f.tx(a, "purchase", amount, { merchant: "SQ *BLUE BOTTLE #12", at: `2026-11-0${i + 1}T09:00:00.000Z` }),
  );
  const luna = [1, 2, 3, 4, 5].map((d) => f.tx(a, "purchase", 300 + d, { merchant: "Cafe Luna", at: `2026-11-1${d}T09:00:00.000Z` }));
  await deliverEvents([...buys, ...luna]);
  return { u, acct, f, a, buys, luna };
}

describe("rules", () => {
  it("creates, lists with specificity, disables, deletes; another user's rule or account is a 404", async () => {
    const { u, acct } = await withHistory();
    const one = await create(u, { conditions: [bottle], actions: { category: "coffee" } });
    expect(one.status).toBe(201);
    expect(one.body).toMatchObject({ object: "rule", stage: "default", enabled: true, source: "user", specificity: 10 });
    const two = await create(u, {
      stage: "post",
      conditions: [
        { field: "merchant", op: "contains", value: "bottle" },
        { field: "amount", op: "gte", value: 1_000 },
        { field: "account", op: "is", value: acct },
      ],
      actions: { tags: ["big"] },
    });
    expect(two.body.specificity).toBe(2 + 1 + 10);
    expect((await api("GET", "/v1/rules", { token: u.access_token })).body.data.map((r: any) => r.id)).toEqual([one.body.id, two.body.id]);
    const off = await api("PATCH", `/v1/rules/${one.body.id}`, { token: u.access_token, body: { enabled: false } });
    expect(off.body).toMatchObject({ id: one.body.id, enabled: false });

    const other = await registerUser();
    expect((await api("PATCH", `/v1/rules/${one.body.id}`, { token: other.access_token, body: { enabled: true } })).status).toBe(404);
    expect((await api("DELETE", `/v1/rules/${one.body.id}`, { token: other.access_token })).status).toBe(404);
    expect((await api("GET", "/v1/rules", { token: other.access_token })).body.data).toEqual([]);
    const foreign = { conditions: [{ field: "account", op: "one_of", value: [acct] }], actions: { category: "x" } };
    expect((await create(other, foreign)).status).toBe(404);
    expect((await api("POST", "/v1/rules/preview", { token: other.access_token, body: foreign })).status).toBe(404);

    expect((await api("DELETE", `/v1/rules/${one.body.id}`, { token: u.access_token })).status).toBe(204);
    expect((await api("DELETE", `/v1/rules/${one.body.id}`, { token: u.access_token })).status).toBe(404);
  });

  it("preview: the more specific rule wins within a stage, a later stage wins over an earlier one, disabled rules do nothing", async () => {
    const { u, acct } = await withHistory();
    // Saved first but less specific: "contains" loses to the previewed "is".
    await create(u, {
      conditions: [{ field: "merchant", op: "contains", value: "bottle" }],
      actions: { category: "dining", tags: ["cafe"] },
    });
    const preview = await api("POST", "/v1/rules/preview", {
      token: u.access_token,
      body: { conditions: [bottle], actions: { category: "coffee" } },
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ object: "rule_preview", matched: 2 });
    expect(preview.body.data.map((t: any) => [t.amount, t.category, t.after])).toEqual([
      [1_200, "uncategorized", { category: "coffee", merchant: "SQ *BLUE BOTTLE #12", tags: ["cafe"] }],
      [450, "uncategorized", { category: "coffee", merchant: "SQ *BLUE BOTTLE #12", tags: ["cafe"] }],
    ]);
    // A pre-stage rule, however specific, is overridden by the default stage.
    const pre = await api("POST", "/v1/rules/preview", {
      token: u.access_token,
      body: { stage: "pre", conditions: [bottle, { field: "account", op: "is", value: acct }], actions: { category: "treats" } },
    });
    expect(pre.body.data.map((t: any) => t.after.category)).toEqual(["dining", "dining"]);
    // amount edges: gte 1200 matches 1200, gt 1200 does not.
    const edge = (op: string) =>
      api("POST", "/v1/rules/preview", {
        token: u.access_token,
        body: { conditions: [bottle, { field: "amount", op, value: 1_200 }], actions: { merchant: "Blue Bottle Coffee" } },
      });
    expect((await edge("gte")).body.matched).toBe(1);
    expect((await edge("gt")).body.matched).toBe(0);
    expect((await edge("lte")).body.data[1].after.merchant).toBe("Blue Bottle Coffee");
    const saved = (await api("GET", "/v1/rules", { token: u.access_token })).body.data[0];
    await api("PATCH", `/v1/rules/${saved.id}`, { token: u.access_token, body: { enabled: false } });
    const again = await api("POST", "/v1/rules/preview", {
      token: u.access_token,
      body: { conditions: [bottle], actions: { tags: ["x"] } },
    });
    expect(again.body.data[0].after).toEqual({ category: "uncategorized", merchant: "SQ *BLUE BOTTLE #12", tags: ["x"] });
  });

  it("learned: 3 of the last 5 purchases with a user edit propose a rule; 2 do not; a disabled learned rule stops it", async () => {
    const { u, f, a, luna } = await withHistory();
    const learned = async () => (await api("GET", "/v1/rules/learned", { token: u.access_token })).body.data;
    // All five are "dining" by the shipped cafe rule: no user edit, no proposal.
    expect(await learned()).toEqual([]);
    await deliverEvents([f.annotate(a, luna[0]!, { category: "coffee" }), f.annotate(a, luna[1]!, { category: "coffee" })]);
    expect(await learned()).toEqual([]);
    await deliverEvents([f.annotate(a, luna[2]!, { category: "coffee" })]);
    expect(await learned()).toEqual([{ merchant_key: "cafe-luna", merchant_name: "Cafe Luna", category: "coffee", wins: 3, of: 5 }]);
    const accepted = await create(u, {
      source: "learned",
      conditions: [{ field: "merchant", op: "is", value: "cafe-luna" }],
      actions: { category: "coffee" },
    });
    expect(accepted.status).toBe(201);
    await api("PATCH", `/v1/rules/${accepted.body.id}`, { token: u.access_token, body: { enabled: false } });
    expect(await learned()).toEqual([]);
  });

  it("apply: a job annotates each transaction the rules change (reversals skipped), with progress; Silver follows", async () => {
    const u = await registerUser();
    const acct = await openAccount(u);
    await deposit(u, acct, 100_000);
    const ids: string[] = [];
    for (const [amount, merchant] of [
      [450, "SQ *BLUE BOTTLE #12"],
      [500, "SQ *BLUE BOTTLE #12"],
      [900, "Powell's Books"],
    ] as const) {
      const r = await postTx(u, acct, { kind: "purchase", amount, merchant });
      expect(r.status).toBe(201);
      ids.push(r.body.id);
    }
    const rev = await api("POST", `/v1/accounts/${acct}/transactions/${ids[1]}/reverse`, {
      token: u.access_token,
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    expect([200, 201]).toContain(rev.status);
    await waitFor(async () => (await rows("SELECT 1 FROM silver_transactions WHERE user_id = ?1", u.user.id)).length === 5, 15_000);
    const tagsOf = async (id: string) =>
      (await rows<{ tags: string; category: string }>("SELECT tags, category FROM silver_transactions WHERE entry_id = ?1", id))[0];
    const mine = await api("PATCH", `/v1/accounts/${acct}/transactions/${ids[0]}`, { token: u.access_token, body: { tags: ["mine"] } });
    expect(mine.status).toBe(200);
    await waitFor(async () => (await tagsOf(ids[0]!))?.tags === '["mine"]', 15_000);
    await create(u, { conditions: [bottle], actions: { category: "coffee", tags: ["caffeine"] } });

    const started = await api("POST", "/v1/rules/apply", { token: u.access_token });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ object: "job", kind: "rules_apply", status: "queued" });
    expect((await api("POST", "/v1/rules/apply", { token: u.access_token })).status).toBe(409);
    const other = await registerUser();
    expect((await api("GET", `/v1/rules/apply/${started.body.id}`, { token: other.access_token })).status).toBe(404);
    const done = await waitFor(async () => {
      const j = await api("GET", `/v1/rules/apply/${started.body.id}`, { token: u.access_token });
      return j.body.status === "succeeded" ? j.body : null;
    }, 20_000);
    // Five entries looked at: the first coffee changed; the reversed coffee and its reversal refused.
    expect(done).toMatchObject({ processed: 5, total: 5, percent: 100, result: { changed: 1, skipped: 2 } });
    const tx = await api("GET", `/v1/accounts/${acct}/transactions/${ids[0]}`, { token: u.access_token });
    // The rule's tag is added to the user's own.
    expect(tx.body).toMatchObject({ category: "coffee", tags: ["mine", "caffeine"] });
    expect((await api("GET", `/v1/accounts/${acct}/transactions/${ids[2]}`, { token: u.access_token })).body.category).not.toBe("coffee");
    await waitFor(async () => {
      const [r] = await rows<{ category: string; category_source: string }>(
        "SELECT category, category_source FROM silver_transactions WHERE entry_id = ?1",
        ids[0],
      );
      return r?.category === "coffee" && r.category_source === "user";
    }, 15_000);
    expect(await tagsOf(ids[0]!)).toEqual({ tags: '["mine","caffeine"]', category: "coffee" });
    // A second run finds nothing left to change: the tags are there already.
    const rerun = await api("POST", "/v1/rules/apply", { token: u.access_token });
    expect(rerun.status).toBe(202);
    const second = await waitFor(async () => {
      const j = await api("GET", `/v1/rules/apply/${rerun.body.id}`, { token: u.access_token });
      return j.body.status === "succeeded" ? j.body : null;
    }, 20_000);
    expect(second.result).toEqual({ changed: 0, skipped: 2 });
  });

  it("bad input is a 400", async () => {
    const u = await registerUser();
    const ok = { conditions: [bottle], actions: { category: "coffee" } };
    for (const body of [
      {},
      { ...ok, conditions: [] },
      { ...ok, actions: {} },
      { ...ok, actions: { tags: [] } },
      { ...ok, actions: { category: "Not A Key!" } },
      { ...ok, stage: "later" },
      { ...ok, conditions: [{ field: "amount", op: "contains", value: 5 }] },
      { ...ok, conditions: [{ field: "amount", op: "gt", value: -1 }] },
      { ...ok, conditions: [{ field: "amount", op: "gt", value: "5" }] },
      { ...ok, conditions: [{ field: "merchant", op: "gt", value: "x" }] },
      { ...ok, conditions: [{ field: "merchant", op: "is", value: "" }] },
      { ...ok, conditions: [{ field: "account", op: "is", value: "nope" }] },
      { ...ok, conditions: [{ field: "colour", op: "is", value: "red" }] },
      { ...ok, extra: 1 },
    ]) {
      const r = await create(u, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
      expect((await api("POST", "/v1/rules/preview", { token: u.access_token, body })).status).toBe(400);
    }
    expect((await api("GET", "/v1/rules", { token: u.access_token })).body.data).toEqual([]);
    expect((await api("PATCH", "/v1/rules/rul_0123456789abcdefghjk", { token: u.access_token, body: { enabled: "yes" } })).status).toBe(
      400,
    );
    expect((await api("PATCH", "/v1/rules/rul_0123456789abcdefghjk", { token: u.access_token, body: { enabled: true } })).status).toBe(404);
    expect((await api("DELETE", "/v1/rules/bad", { token: u.access_token })).status).toBe(400);
    expect((await api("GET", "/v1/rules")).status).toBe(401);
  });
});
