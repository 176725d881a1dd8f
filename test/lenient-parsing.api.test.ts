/**
 * The lenient parsing issue 7 ends, pinned at today's answers so the change is
 * one visible flip per case: each `contract change pending` line says what the
 * case must answer once the stricter edge lands (and then it must change nothing).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api, deposit, key, openAccount, registerUser, type User } from "./helpers/ledger";

let u: User;
let acc: string;
let dest: string;

const idem = () => ({ "idempotency-key": key() });
const pending = async () => {
  const res = await api("POST", "/v1/transfers", { token: u.access_token, body: { from_account_id: acc, to_account_id: dest, amount: 10, mode: "pending" }, headers: idem() });
  expect(res.status).toBe(201);
  return res.body.id as string;
};

beforeAll(async () => {
  u = await registerUser();
  acc = await openAccount(u);
  dest = await openAccount(u, { type: "savings", name: "Destination" });
  await deposit(u, acc, 10_000);
});

describe("lenient parsing (issue 7: contract change pending)", () => {
  it("a JSON body declared charset=utf-16 is read as UTF-8", async () => {
    const res = await api("POST", `/v1/accounts/${acc}/transactions`, {
      token: u.access_token, body: { kind: "deposit", amount: 1 }, headers: { ...idem(), "content-type": "application/json; charset=utf-16" },
    });
    expect(res.status).toBe(201); // contract change pending (issue 7): expect 415 unsupported_media_type
  });

  for (const limit of ["0x10", "1e1", "+5"]) {
    it(`limit=${limit} is read as a number`, async () => {
      const res = await api("GET", `/v1/accounts/${acc}/transactions?limit=${encodeURIComponent(limit)}`, { token: u.access_token });
      expect(res.status).toBe(200); // contract change pending (issue 7): expect 400 validation_error
    });
  }

  it("DELETE …/budgets/TRAVEL deletes the travel budget", async () => {
    const put = await api("PUT", `/v1/accounts/${acc}/budgets/travel`, { token: u.access_token, body: { limit: 100, period: "monthly" } });
    expect(put.status).toBe(201);
    const res = await api("DELETE", `/v1/accounts/${acc}/budgets/TRAVEL`, { token: u.access_token });
    expect(res.status).toBe(204); // contract change pending (issue 7): expect 400 validation_error (a category is a lower-case slug)
  });

  for (const [label, opts] of [["broken JSON", { rawBody: "{not json" }], ["an unknown field", { body: { force: true } }]] as const) {
    it(`void accepts ${label}`, async () => {
      const res = await api("POST", `/v1/transfers/${await pending()}/void`, { token: u.access_token, headers: idem(), ...opts });
      expect(res.status).toBe(200); // contract change pending (issue 7): expect 400 invalid_json / validation_error
    });

    it(`reverse accepts ${label}`, async () => {
      const d = await deposit(u, acc, 5);
      const res = await api("POST", `/v1/accounts/${acc}/transactions/${d.id}/reverse`, { token: u.access_token, headers: idem(), ...opts });
      expect(res.status).toBe(201); // contract change pending (issue 7): expect 400 invalid_json / validation_error
    });

    it(`close accepts ${label}`, async () => {
      const empty = await openAccount(u, { type: "savings", name: "Empty" });
      const res = await api("POST", `/v1/accounts/${empty}/close`, { token: u.access_token, ...opts });
      expect(res.status).toBe(200); // contract change pending (issue 7): expect 400 invalid_json / validation_error
    });
  }

  it("post with Content-Type: application/json and an empty body is refused", async () => {
    const res = await api("POST", `/v1/transfers/${await pending()}/post`, { token: u.access_token, rawBody: "", headers: idem() });
    expect(res.status).toBe(400); // contract change pending (issue 7): expect 200 (an optional body may be empty)
    expect(res.body.error.code).toBe("invalid_json");
  });
});
