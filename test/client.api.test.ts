/**
 * The typed `hc` client (src/client.ts) against the Worker: register → login →
 * open an account → deposit → list, through the Worker's own fetch. The
 * `expectTypeOf` lines make a route whose request or response type drifts a
 * type error in `npm run typecheck`, not only a failed assertion here.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, expectTypeOf, it } from "vitest";
import { createClient } from "../src/client";
import { uniqueEmail } from "./helpers/auth";

const workerFetch = ((input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(input, init)) as typeof fetch;

describe("the typed hc client", () => {
  it("registers, logs in, opens an account, deposits and lists, with typed results", async () => {
    let token: string | undefined;
    const client = createClient("http://x", { fetch: workerFetch, token: () => token });
    const email = uniqueEmail("client");
    const password = "correct horse battery staple";

    const registered = await client.v1.auth.register.$post({ json: { email, password, name: "Ada" } });
    expect(registered.status).toBe(201);
    if (registered.status !== 201) throw new Error("register failed");
    const session = await registered.json();
    expectTypeOf(session.user.role).toEqualTypeOf<"user" | "admin" | "feeder">();
    expect(session.user.email).toBe(email);

    const login = await client.v1.auth.login.$post({ json: { email, password } });
    if (login.status !== 200) throw new Error(`login failed: ${login.status}`);
    const loggedIn = await login.json();
    expectTypeOf(loggedIn.token_type).toEqualTypeOf<"Bearer">();
    token = loggedIn.access_token;

    const me = await client.v1.me.$get();
    if (me.status !== 200) throw new Error(`me failed: ${me.status}`);
    expect((await me.json()).id).toBe(session.user.id);

    // `currency` has a default, so the client may leave it out.
    const opened = await client.v1.accounts.$post({ json: { type: "checking", name: "Everyday" } });
    if (opened.status !== 201) throw new Error(`open failed: ${opened.status}`);
    const account = await opened.json();
    expectTypeOf(account.type).toEqualTypeOf<"checking" | "savings" | "credit" | "brokerage">();
    expectTypeOf(account.balance.available).toEqualTypeOf<number>();
    expect(account).toMatchObject({ object: "account", type: "checking", currency: "USD", status: "open" });

    const deposit = await client.v1.accounts[":id"].transactions.$post({
      param: { id: account.id },
      header: { "idempotency-key": `client-${crypto.randomUUID()}` },
      json: { kind: "deposit", amount: 12_50, description: "Paycheck" },
    });
    if (deposit.status !== 201) throw new Error(`deposit failed: ${deposit.status}`);
    const posted = await deposit.json();
    expectTypeOf(posted).toHaveProperty("balance_after").toEqualTypeOf<number>();
    expectTypeOf(posted.kind).toEqualTypeOf<
      | "deposit"
      | "withdrawal"
      | "purchase"
      | "refund"
      | "fee"
      | "interest"
      | "reversal"
      | "transfer_out"
      | "transfer_in"
      | "trade_buy"
      | "trade_sell"
    >();
    expect(posted).toMatchObject({ kind: "deposit", direction: "credit", amount: 1_250, balance_after: 1_250 });

    const listed = await client.v1.accounts[":id"].transactions.$get({ param: { id: account.id }, query: { limit: "10" } });
    if (listed.status !== 200) throw new Error(`list failed: ${listed.status}`);
    const page = await listed.json();
    expectTypeOf(page.data).items.toHaveProperty("direction").toEqualTypeOf<"credit" | "debit">();
    expect(page.data.map((t) => [t.kind, t.amount])).toEqual([["deposit", 1_250]]);
    expect(page.has_more).toBe(false);

    const accounts = await client.v1.accounts.$get({ query: {} });
    if (accounts.status !== 200) throw new Error(`accounts failed: ${accounts.status}`);
    expect((await accounts.json()).data.map((a) => [a.id, a.balance.posted])).toEqual([[account.id, 1_250]]);
  });

  it("types the error envelope: its code is the closed list", async () => {
    const client = createClient("http://x", { fetch: workerFetch });
    const res = await client.v1.me.$get();
    expect(res.status).toBe(401);
    if (res.status === 401) {
      const body = await res.json();
      expectTypeOf(body.error.code).toExtend<string>();
      expectTypeOf<"unauthorized">().toExtend<typeof body.error.code>();
      expect(body.error.code).toBe("unauthorized");
    }
  });
});
