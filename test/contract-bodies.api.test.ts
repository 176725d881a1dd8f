/**
 * Optional bodies are optional (issue 7): post, void, close and reverse accept
 * no body at all, an empty body sent with `Content-Type: application/json`
 * (as common clients send it), and `{}` — all three meaning the same.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, deposit, key, openAccount, postTx, registerUser, transfer, type User } from "./helpers/ledger";

type Form = "no body" | "empty body with a JSON content type" | "{}";
const FORMS: Form[] = ["no body", "empty body with a JSON content type", "{}"];

/** POST with one of the three forms of "nothing". */
async function postNothing(u: User, path: string, form: Form) {
  const headers: Record<string, string> = { authorization: `Bearer ${u.access_token}`, "idempotency-key": key() };
  let body: string | undefined;
  if (form !== "no body") headers["content-type"] = "application/json";
  if (form === "{}") body = "{}";
  if (form === "empty body with a JSON content type") body = "";
  const res = await exports.default.fetch(`http://x${path}`, { method: "POST", headers, body });
  return { status: res.status, body: (await res.json()) as any };
}

async function fixture() {
  const u = await registerUser();
  const acc = await openAccount(u);
  const dest = await openAccount(u, { type: "savings", name: "Savings" });
  await deposit(u, acc, 10_000);
  return { u, acc, dest };
}

describe("optional bodies", () => {
  for (const form of FORMS) {
    it(`post and void a pending transfer with ${form}`, async () => {
      const { u, acc, dest } = await fixture();
      const a = await transfer(u, { from_account_id: acc, to_account_id: dest, amount: 700, mode: "pending" });
      const b = await transfer(u, { from_account_id: acc, to_account_id: dest, amount: 300, mode: "pending" });
      const posted = await postNothing(u, `/v1/transfers/${a.body.id}/post`, form);
      expect(posted.status, JSON.stringify(posted.body)).toBe(200);
      expect(posted.body).toMatchObject({ status: "posted", posted_amount: 700 });
      const voided = await postNothing(u, `/v1/transfers/${b.body.id}/void`, form);
      expect(voided.status, JSON.stringify(voided.body)).toBe(200);
      expect(voided.body).toMatchObject({ status: "voided" });
      expect((await api("GET", `/v1/accounts/${acc}`, { token: u.access_token })).body.balance).toEqual({
        posted: 9_300,
        pending: 0,
        available: 9_300,
      });
    });

    it(`reverse a transaction and close an account with ${form}`, async () => {
      const { u, acc, dest } = await fixture();
      const buy = await postTx(u, acc, { kind: "purchase", amount: 250, merchant: "Shop" });
      const reversed = await postNothing(u, `/v1/accounts/${acc}/transactions/${buy.body.id}/reverse`, form);
      expect(reversed.status, JSON.stringify(reversed.body)).toBe(201);
      expect(reversed.body).toMatchObject({ kind: "reversal", reverses: buy.body.id, amount: 250 });
      const closed = await postNothing(u, `/v1/accounts/${dest}/close`, form);
      expect(closed.status, JSON.stringify(closed.body)).toBe(200);
      expect(closed.body).toMatchObject({ id: dest, status: "closed" });
    });
  }

  it("still takes a partial amount in the body of post", async () => {
    const { u, acc, dest } = await fixture();
    const t = await transfer(u, { from_account_id: acc, to_account_id: dest, amount: 1_000, mode: "pending" });
    const res = await api("POST", `/v1/transfers/${t.body.id}/post`, {
      token: u.access_token,
      body: { amount: 400 },
      headers: { "idempotency-key": key() },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "posted", posted_amount: 400 });
    expect((await api("GET", `/v1/accounts/${dest}`, { token: u.access_token })).body.balance.posted).toBe(400);
  });

  it("a required body sent empty with a JSON content type is a 400 naming the missing fields", async () => {
    const { u } = await fixture();
    const res = await api("POST", "/v1/accounts", { token: u.access_token, rawBody: "" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_error");
    expect(res.body.error.details.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(["type", "name"]));
  });
});
