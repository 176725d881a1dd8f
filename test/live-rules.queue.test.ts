/**
 * User rules applied live by the EVENTS consumer: a new purchase gets the
 * enabled rule's category (source rule) in silver_transactions and Gold; a
 * disabled rule does nothing; a user's annotation wins and moves Gold off the
 * rule's category; a merchant action changes the merchant entity. Learned
 * rules: 2 of the last 5 edited → no proposal; 3 → proposal; accepting it
 * gives new purchases category source learned with confidence 3/5; disabling
 * it stops that. Tags: the matching rules' tags are stored in
 * silver_transactions.tags (rank order, distinct); an annotation's own tags
 * come first and the rules' are added; another user's rule adds nothing.
 */
import { describe, expect, it } from "vitest";
import { api, registerUser } from "./helpers/auth";
import { EventFactory } from "./helpers/events";
import { deposit, openAccount, postTx, type User } from "./helpers/ledger";
import { deliverEvents, rows, waitFor } from "./helpers/pipeline";

const create = async (u: User, body: unknown) => {
  const r = await api("POST", "/v1/rules", { token: u.access_token, body });
  expect(r.status).toBe(201);
  return r.body;
};
const silver = async (entryId: string) =>
  (
    await rows<{ category: string; category_source: string; category_confidence: number; merchant: string; merchant_key: string }>(
      "SELECT category, category_source, category_confidence, merchant, merchant_key FROM silver_transactions WHERE entry_id = ?1",
      entryId,
    )
  )[0];
const spend = async (userId: string, key: string) =>
  (
    await rows<{ amount: number }>(
      "SELECT amount FROM gold_spending WHERE user_id = ?1 AND dimension = 'category' AND key = ?2",
      userId,
      key,
    )
  )[0]?.amount ?? 0;
const entryOf = (e: { payload: unknown }) => (e.payload as { entry_id: string }).entry_id;

async function user() {
  const u = await registerUser();
  const f = new EventFactory(u.user.id);
  return { u, f, a: f.account() };
}

describe("user rules, live", () => {
  it("a posted purchase gets the rule's category in Silver and Gold; a purchase through the API too", async () => {
    const { u, f, a } = await user();
    const rule = await create(u, { conditions: [{ field: "merchant", op: "is", value: "blue-bottle" }], actions: { category: "coffee" } });
    const buy = f.tx(a, "purchase", 450, { merchant: "SQ *BLUE BOTTLE #12", at: "2026-11-02T09:00:00.000Z" });
    const other = f.tx(a, "purchase", 900, { merchant: "Powell's Books", at: "2026-11-02T10:00:00.000Z" });
    await deliverEvents([buy, other]);
    expect(await silver(entryOf(buy))).toMatchObject({ category: "coffee", category_source: "rule", category_confidence: 0.95 });
    expect((await silver(entryOf(other)))?.category).not.toBe("coffee");
    expect(await spend(u.user.id, "coffee")).toBe(450);
    expect(rule.confidence).toBeNull();

    const acct = await openAccount(u);
    await deposit(u, acct, 10_000);
    const posted = await postTx(u, acct, { kind: "purchase", amount: 500, merchant: "SQ *BLUE BOTTLE #7" });
    expect(posted.status).toBe(201);
    const row = await waitFor(async () => silver(posted.body.id), 15_000);
    expect(row).toMatchObject({ category: "coffee", category_source: "rule" });
  });

  it("a disabled rule is not applied; a merchant action renames the entity; the user's annotation wins", async () => {
    const { u, f, a } = await user();
    const off = await create(u, {
      enabled: false,
      conditions: [{ field: "description", op: "contains", value: "gym" }],
      actions: { category: "fitness" },
    });
    await create(u, {
      stage: "pre",
      conditions: [{ field: "merchant", op: "contains", value: "luna" }],
      actions: { merchant: "Luna Roasters", category: "coffee" },
    });
    const gym = f.tx(a, "purchase", 3_000, { merchant: "Iron Works", description: "monthly gym", at: "2026-11-03T09:00:00.000Z" });
    const luna = f.tx(a, "purchase", 320, { merchant: "Cafe Luna", at: "2026-11-04T09:00:00.000Z" });
    await deliverEvents([gym, luna]);
    expect((await silver(entryOf(gym)))?.category).not.toBe("fitness");
    expect(off.enabled).toBe(false);
    expect(await silver(entryOf(luna))).toMatchObject({
      category: "coffee",
      category_source: "rule",
      merchant: "Luna Roasters",
      merchant_key: "luna-roasters",
    });
    expect(await spend(u.user.id, "coffee")).toBe(320);

    await deliverEvents([f.annotate(a, luna, { category: "groceries" })]);
    expect(await silver(entryOf(luna))).toMatchObject({ category: "groceries", category_source: "user", category_confidence: 1 });
    // Gold moved the spend off the rule's category (the previous enrichment had the rule applied too).
    expect(await spend(u.user.id, "coffee")).toBe(0);
    expect(await spend(u.user.id, "groceries")).toBe(320);
  });

  it("tags set by live rules are stored in Silver; an annotation's own tags come first and the rules' stay", async () => {
    const { u, f, a } = await user();
    await create(u, {
      conditions: [{ field: "merchant", op: "is", value: "blue-bottle" }],
      actions: { category: "coffee", tags: ["caffeine"] },
    });
    await create(u, { stage: "post", conditions: [{ field: "amount", op: "gte", value: 1_000 }], actions: { tags: ["big", "caffeine"] } });
    const stranger = await registerUser();
    await create(stranger, { conditions: [{ field: "amount", op: "gte", value: 1 }], actions: { tags: ["not-mine"] } });
    const small = f.tx(a, "purchase", 450, { merchant: "SQ *BLUE BOTTLE #12", at: "2026-11-05T09:00:00.000Z" });
    const large = f.tx(a, "purchase", 1_200, { merchant: "SQ *BLUE BOTTLE #12", at: "2026-11-05T10:00:00.000Z" });
    const books = f.tx(a, "purchase", 2_000, { merchant: "Powell's Books", at: "2026-11-05T11:00:00.000Z" });
    const plain = f.tx(a, "purchase", 300, { merchant: "Powell's Books", at: "2026-11-05T12:00:00.000Z" });
    await deliverEvents([small, large, books, plain]);
    const tagsOf = async (e: { payload: unknown }) =>
      JSON.parse((await rows<{ tags: string }>("SELECT tags FROM silver_transactions WHERE entry_id = ?1", entryOf(e)))[0]?.tags ?? "null");
    expect(await tagsOf(small)).toEqual(["caffeine"]);
    expect(await tagsOf(large)).toEqual(["caffeine", "big"]);
    expect(await tagsOf(books)).toEqual(["big", "caffeine"]);
    expect(await tagsOf(plain)).toEqual([]);
    expect((await silver(entryOf(large)))?.category).toBe("coffee");

    // The user's own tags come first; a rule tag they repeat is not doubled; the annotation's category wins.
    await deliverEvents([f.annotate(a, large, { category: "gifts", tags: ["work", "big"] })]);
    expect(await tagsOf(large)).toEqual(["work", "big", "caffeine"]);
    expect(await silver(entryOf(large))).toMatchObject({ category: "gifts", category_source: "user" });
    // The preview shows the stored tags and what applying would add.
    const pre = await api("POST", "/v1/rules/preview", {
      token: u.access_token,
      body: { conditions: [{ field: "merchant", op: "contains", value: "powell" }], actions: { tags: ["reading"] } },
    });
    expect(pre.status).toBe(200);
    expect(pre.body.data.map((t: { tags: string[]; after: { tags: string[] } }) => [t.tags, t.after.tags])).toEqual([
      [[], ["reading"]],
      [
        ["big", "caffeine"],
        ["big", "caffeine", "reading"],
      ],
    ]);
  });

  it("learned: 2 of 5 edits propose nothing, 3 of 5 do; accepted → new purchases are learned (3/5); disabled → not", async () => {
    const { u, f, a } = await user();
    const luna = [1, 2, 3, 4, 5].map((d) => f.tx(a, "purchase", 300 + d, { merchant: "Cafe Luna", at: `2026-11-1${d}T09:00:00.000Z` }));
    await deliverEvents(luna);
    const learned = async () => (await api("GET", "/v1/rules/learned", { token: u.access_token })).body.data;
    await deliverEvents([f.annotate(a, luna[0]!, { category: "coffee" }), f.annotate(a, luna[1]!, { category: "coffee" })]);
    expect(await learned()).toEqual([]);
    await deliverEvents([f.annotate(a, luna[2]!, { category: "coffee" })]);
    const [proposal] = await learned();
    expect(proposal).toEqual({ merchant_key: "cafe-luna", merchant_name: "Cafe Luna", category: "coffee", wins: 3, of: 5 });

    const rule = await create(u, {
      source: "learned",
      conditions: [{ field: "merchant", op: "is", value: proposal.merchant_key }],
      actions: { category: proposal.category },
    });
    expect(rule).toMatchObject({ source: "learned", confidence: 0.6 });
    const next = f.tx(a, "purchase", 310, { merchant: "CAFE LUNA", at: "2026-11-20T09:00:00.000Z" });
    await deliverEvents([next]);
    expect(await silver(entryOf(next))).toMatchObject({ category: "coffee", category_source: "learned", category_confidence: 0.6 });

    await api("PATCH", `/v1/rules/${rule.id}`, { token: u.access_token, body: { enabled: false } });
    const later = f.tx(a, "purchase", 311, { merchant: "Cafe Luna", at: "2026-11-21T09:00:00.000Z" });
    await deliverEvents([later]);
    expect(await silver(entryOf(later))).toMatchObject({ category: "dining", category_source: "rule" });
  });
});
