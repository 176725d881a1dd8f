/**
 * Issue 8, smaller items: text that can disguise a statement and object keys
 * that JavaScript treats specially are refused with a 400 that names the
 * field, and the refused request changes nothing.
 */
import { describe, expect, it } from "vitest";
import { api, balanceOf, deposit, key, openAccount, registerUser } from "./helpers/ledger";

// Trojan Source (CVE-2021-42574): embeddings, overrides and isolates reorder the text around them.
const BIDI_CONTROLS = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"];

async function setup() {
  const u = await registerUser();
  const accountId = await openAccount(u);
  await deposit(u, accountId, 10_000);
  return { u, accountId };
}

describe("bidirectional controls in free text", () => {
  it("refuses every embedding, override and isolate in merchant, description, names, notes and metadata", async () => {
    const { u, accountId } = await setup();
    const post = (body: Record<string, unknown>) =>
      api("POST", `/v1/accounts/${accountId}/transactions`, { token: u.access_token, body, headers: { "idempotency-key": key() } });
    for (const ch of BIDI_CONTROLS) {
      const disguised = `Coffee ${ch}gpj.exe`;
      const cases: [Record<string, unknown>, string][] = [
        [{ kind: "purchase", amount: 100, category: "dining", merchant: disguised }, "merchant"],
        [{ kind: "purchase", amount: 100, category: "dining", description: disguised }, "description"],
        [{ kind: "purchase", amount: 100, category: "dining", metadata: { note: disguised } }, "metadata"],
      ];
      for (const [body, field] of cases) {
        const res = await post(body);
        expect(res.status, `${field} with U+${ch.codePointAt(0)!.toString(16)}`).toBe(400);
        expect(res.body.error.code).toBe("validation_error");
        expect(JSON.stringify(res.body.error.details)).toContain(field);
      }
      const named = await api("POST", "/v1/accounts", { token: u.access_token, body: { type: "savings", name: `Pot ${ch}x` } });
      expect(named.status).toBe(400);
    }
    expect(await balanceOf(u, accountId)).toMatchObject({ posted: 10_000 });
    // Right-to-left text itself, and the plain directional marks, stay welcome.
    const ok = await post({ kind: "purchase", amount: 100, category: "dining", merchant: "קפה \u200fאלון", description: "مقهى" });
    expect(ok.status, JSON.stringify(ok.body)).toBe(201);
    expect(ok.body.merchant).toBe("קפה \u200fאלון");
  });

  it("refuses them in a transaction's notes and in a sign-up name", async () => {
    const { u, accountId } = await setup();
    const list = await api("GET", `/v1/accounts/${accountId}/transactions`, { token: u.access_token });
    const entryId = list.body.data[0].id;
    const edit = await api("PATCH", `/v1/accounts/${accountId}/transactions/${entryId}`, {
      token: u.access_token,
      body: { notes: "paid \u202eback" },
    });
    expect(edit.status).toBe(400);
    const reg = await api("POST", "/v1/auth/register", {
      body: { email: `bidi-${crypto.randomUUID()}@example.test`, password: "correct horse battery staple", name: "Eve \u202emalloM" },
    });
    expect(reg.status).toBe(400);
  });
});

describe("metadata keys", () => {
  it("refuses __proto__ instead of dropping it silently", async () => {
    const { u, accountId } = await setup();
    const res = await api("POST", `/v1/accounts/${accountId}/transactions`, {
      token: u.access_token,
      rawBody: '{"kind":"deposit","amount":100,"metadata":{"__proto__":"x","ref":"a"}}',
      headers: { "idempotency-key": key() },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe("validation_error");
    expect(JSON.stringify(res.body.error.details)).toContain("__proto__");
    expect(await balanceOf(u, accountId)).toMatchObject({ posted: 10_000 });
  });
});
