/**
 * Institutions and customers (FinLens): admin create/update, everyone list
 * (name, code, cursor) and get; the rule "at most one account of a type per
 * institution" where the institution says so (409); the customer profile
 * with a validated, hashed and masked national id; admins list and filter
 * customers and read one customer's banking view; users cannot reach any of it.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { randomToken } from "../src/domain/ids";
import { api, deposit, openAccount, registerUser } from "./helpers/ledger";
import { adminToken } from "./helpers/pipeline";

async function institution(token: string, body: Record<string, unknown> = {}) {
  const res = await api("POST", "/v1/admin/institutions", {
    token,
    body: { name: `Bank ${randomToken(6)}`, code: `B${randomToken(8).toUpperCase()}`, ...body },
  });
  if (res.status !== 201) throw new Error(`institution: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; name: string; code: string };
}

describe("institutions", () => {
  it("admins create and update (unique code, 409); everyone lists by name with filters and a cursor, and gets one", async () => {
    const admin = await adminToken();
    const tag = randomToken(6);
    const a = await institution(admin, { name: `Alpha ${tag}`, email: "help@alpha.example", phone: "+1 415 555 0100" });
    const b = await institution(admin, { name: `Beta ${tag}` });
    expect(a).toMatchObject({ object: "institution", email: "help@alpha.example", one_account_per_type: false });
    expect((await api("POST", "/v1/admin/institutions", { token: admin, body: { name: "Dup", code: a.code.toLowerCase() } })).status).toBe(
      409,
    );

    const u = await registerUser();
    const p1 = await api("GET", `/v1/institutions?name=${tag}&limit=1`, { token: u.access_token });
    expect(p1.body.data.map((i: { id: string }) => i.id)).toEqual([a.id]);
    const p2 = await api("GET", `/v1/institutions?name=${tag}&limit=1&cursor=${p1.body.next_cursor}`, { token: u.access_token });
    expect(p2.body.data.map((i: { id: string }) => i.id)).toEqual([b.id]);
    expect(p2.body.next_cursor).toBeNull();
    const byCode = await api("GET", `/v1/institutions?code=${b.code.toLowerCase()}`, { token: u.access_token });
    expect(byCode.body.data.map((i: { id: string }) => i.id)).toEqual([b.id]);
    expect((await api("GET", `/v1/institutions/${a.id}`, { token: u.access_token })).body.name).toBe(`Alpha ${tag}`);
    expect((await api("GET", `/v1/institutions/ins_${"x".repeat(20)}`, { token: u.access_token })).status).toBe(404);

    const patched = await api("PATCH", `/v1/admin/institutions/${b.id}`, {
      token: admin,
      body: { phone: "+44 20 7946 0000", one_account_per_type: true },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ phone: "+44 20 7946 0000", one_account_per_type: true, name: `Beta ${tag}` });
    expect((await api("PATCH", `/v1/admin/institutions/${b.id}`, { token: admin, body: { code: a.code } })).status).toBe(409);
    expect((await api("PATCH", `/v1/admin/institutions/ins_${"x".repeat(20)}`, { token: admin, body: { name: "x" } })).status).toBe(404);
  });

  it("refuses users on admin routes (403) and bad input (400)", async () => {
    const u = await registerUser();
    expect((await api("POST", "/v1/admin/institutions", { token: u.access_token, body: { name: "x", code: "XX" } })).status).toBe(403);
    expect((await api("GET", "/v1/admin/customers", { token: u.access_token })).status).toBe(403);
    expect((await api("GET", `/v1/customers/${u.user.id}/banking`, { token: u.access_token })).status).toBe(403);
    const admin = await adminToken();
    for (const body of [
      {},
      { name: "x" },
      { name: "x", code: "!" },
      { name: "x", code: "XY", email: "nope" },
      { name: "x", code: "XY", phone: "abc" },
      { name: "x", code: "XY", extra: 1 },
    ])
      expect((await api("POST", "/v1/admin/institutions", { token: admin, body })).status, JSON.stringify(body)).toBe(400);
    expect((await api("PATCH", `/v1/admin/institutions/ins_${"x".repeat(20)}`, { token: admin, body: {} })).status).toBe(400);
    expect((await api("GET", "/v1/institutions?cursor=zzz", { token: u.access_token })).status).toBe(400);
    expect((await api("GET", "/v1/institutions/bad", { token: u.access_token })).status).toBe(400);
  });

  it("at most one account of a type where the institution says so (409, the reservation given back); other banks and types are free", async () => {
    const admin = await adminToken();
    const strict = await institution(admin, { one_account_per_type: true });
    const loose = await institution(admin);
    const u = await registerUser();
    const open = (body: Record<string, unknown>) => api("POST", "/v1/accounts", { token: u.access_token, body: { name: "A", ...body } });
    const first = await open({ type: "checking", institution_id: strict.id });
    expect(first.status).toBe(201);
    expect(first.body.institution_id).toBe(strict.id);
    const second = await open({ type: "checking", institution_id: strict.id });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("conflict");
    expect((await open({ type: "savings", institution_id: strict.id })).status).toBe(201);
    expect((await open({ type: "checking", institution_id: loose.id })).status).toBe(201);
    expect((await open({ type: "checking", institution_id: loose.id })).status).toBe(201);
    expect((await open({ type: "checking", institution_id: `ins_${"x".repeat(20)}` })).status).toBe(404);
    // Refused opens left no registry row behind.
    const list = await api("GET", "/v1/accounts?limit=50", { token: u.access_token });
    expect(list.body.data).toHaveLength(4);
    // Another user may hold a checking account at the strict bank.
    const other = await registerUser();
    expect(
      (await api("POST", "/v1/accounts", { token: other.access_token, body: { name: "B", type: "checking", institution_id: strict.id } }))
        .status,
    ).toBe(201);

    const mine = await api("GET", "/v1/me/institutions", { token: u.access_token });
    expect(mine.body.data.map((i: { id: string }) => i.id).sort()).toEqual([strict.id, loose.id].sort());
  });
});

describe("closing frees the institution's slot", () => {
  it("a closed account no longer blocks a new one of its type; it stays listed under the bank; a refused close keeps the slot", async () => {
    const admin = await adminToken();
    const strict = await institution(admin, { one_account_per_type: true });
    const u = await registerUser();
    const open = () =>
      api("POST", "/v1/accounts", { token: u.access_token, body: { name: "A", type: "checking", institution_id: strict.id } });
    const close = (id: string) => api("POST", `/v1/accounts/${id}/close`, { token: u.access_token });
    const first = await open();
    expect(first.status).toBe(201);
    // Not empty: the close is refused and the slot stays taken.
    await deposit(u, first.body.id, 500);
    expect((await close(first.body.id)).status).toBe(422);
    expect((await open()).status).toBe(409);
    await api("POST", `/v1/accounts/${first.body.id}/transactions`, {
      token: u.access_token,
      body: { kind: "withdrawal", amount: 500 },
      headers: { "idempotency-key": crypto.randomUUID() },
    });
    expect((await close(first.body.id)).status).toBe(200);
    const second = await open();
    expect(second.status).toBe(201);
    expect(second.body.institution_id).toBe(strict.id);
    // The rule holds again for the new account.
    expect((await open()).status).toBe(409);
    // Both stay under the bank in the accounts list and the banking view.
    const list = await api("GET", "/v1/accounts?limit=50", { token: u.access_token });
    expect(list.body.data.map((a: { id: string; institution_id: string | null }) => [a.id, a.institution_id]).sort()).toEqual(
      [
        [first.body.id, strict.id],
        [second.body.id, strict.id],
      ].sort(),
    );
    const banking = await api("GET", "/v1/me/banking", { token: u.access_token });
    expect(banking.body.accounts.filter((a: { institution_id: string | null }) => a.institution_id === strict.id)).toHaveLength(2);
  });
});

describe("customer profile", () => {
  it("validates the national id (PAN), stores it hashed, shows it masked; PATCH changes only what is given", async () => {
    const u = await registerUser();
    const empty = await api("GET", "/v1/me/profile", { token: u.access_token });
    expect(empty.body).toMatchObject({ object: "customer_profile", user_id: u.user.id, name: null, national_id_masked: null });
    const patched = await api("PATCH", "/v1/me/profile", {
      token: u.access_token,
      body: {
        name: "Ada Lovelace",
        national_id: "abcpe1234f",
        phone: "+44 20 7946 0000",
        address: "1 Main St",
        latitude: 51.5,
        longitude: -0.12,
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: "Ada Lovelace", national_id_masked: "••••234F", latitude: 51.5, longitude: -0.12 });
    expect(JSON.stringify(patched.body)).not.toContain("ABCPE");
    const stored = await env.DB.prepare("SELECT * FROM customer_profiles WHERE user_id = ?")
      .bind(u.user.id)
      .first<Record<string, unknown>>();
    expect(JSON.stringify(stored)).not.toContain("ABCPE1234F");
    expect(stored!.national_id_hash).toMatch(/^[0-9a-f]{64}$/);
    const again = await api("PATCH", "/v1/me/profile", { token: u.access_token, body: { address: null } });
    expect(again.body).toMatchObject({ name: "Ada Lovelace", address: null, national_id_masked: "••••234F" });
    for (const body of [
      { national_id: "1234" },
      { national_id: "ABCXE1234F" },
      { latitude: 91, longitude: 0 },
      { latitude: 10 },
      { email: "x" },
      { nope: 1 },
    ])
      expect((await api("PATCH", "/v1/me/profile", { token: u.access_token, body })).status, JSON.stringify(body)).toBe(400);
  });

  it("admins filter customers by name, email and national id (through its hash) and read a customer's banking view", async () => {
    const admin = await adminToken();
    const tag = randomToken(8);
    const u = await registerUser();
    const pan = `ABCP${"QRSTUVWXYZ"[Math.floor(Math.random() * 10)]}${String(Math.floor(Math.random() * 9000) + 1000)}K`;
    await api("PATCH", "/v1/me/profile", { token: u.access_token, body: { name: `Grace ${tag}`, national_id: pan } });
    const byName = await api("GET", `/v1/admin/customers?name=${tag}`, { token: admin });
    expect(byName.body.data.map((c: { user_id: string }) => c.user_id)).toEqual([u.user.id]);
    const byEmail = await api("GET", `/v1/admin/customers?email=${encodeURIComponent(u.user.email)}`, { token: admin });
    expect(byEmail.body.data[0]).toMatchObject({ user_id: u.user.id, profile: { name: `Grace ${tag}` } });
    const byId = await api("GET", `/v1/admin/customers?national_id=${pan}`, { token: admin });
    expect(byId.body.data.map((c: { user_id: string }) => c.user_id)).toEqual([u.user.id]);
    const page = await api("GET", "/v1/admin/customers?limit=1", { token: admin });
    expect(page.body.next_cursor).toEqual(expect.any(String));
    const next = await api("GET", `/v1/admin/customers?limit=1&cursor=${page.body.next_cursor}`, { token: admin });
    expect(next.body.data[0].user_id > page.body.data[0].user_id).toBe(true);

    const bank = await institution(admin);
    const acc = (
      await api("POST", "/v1/accounts", { token: u.access_token, body: { name: "Main", type: "checking", institution_id: bank.id } })
    ).body.id;
    const plain = await openAccount(u, { type: "savings", name: "Pot" });
    await deposit(u, acc, 1_000);
    await deposit(u, plain, 2_000);
    for (const view of [
      await api("GET", "/v1/me/banking", { token: u.access_token }),
      await api("GET", `/v1/customers/${u.user.id}/banking`, { token: admin }),
    ]) {
      expect(view.status).toBe(200);
      expect(view.body.profile.name).toBe(`Grace ${tag}`);
      expect(view.body.institutions.map((i: { id: string }) => i.id)).toEqual([bank.id]);
      const accounts = Object.fromEntries(
        view.body.accounts.map((a: { id: string; institution_id: string | null }) => [a.id, a.institution_id]),
      );
      expect(accounts).toEqual({ [acc]: bank.id, [plain]: null });
      expect(view.body.recent_transactions.map((t: { amount: number }) => t.amount)).toEqual([2_000, 1_000]);
    }
    expect((await api("GET", `/v1/customers/usr_${"x".repeat(20)}/banking`, { token: admin })).status).toBe(404);
  });
});
