/**
 * Issue 8: the per-user account cap holds under concurrency. Twenty opens
 * racing at 45 accounts used to all succeed (a count, then a separate insert);
 * now exactly the five that fit succeed and the registry and the listed
 * accounts both stop at the cap.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_ACCOUNTS_PER_USER } from "../src/db/accounts";
import { api, openAccount, registerUser } from "./helpers/ledger";

describe("the account cap under concurrent opens", () => {
  it(`lets exactly ${MAX_ACCOUNTS_PER_USER} accounts exist when 20 opens race at 45`, async () => {
    const u = await registerUser();
    const already = MAX_ACCOUNTS_PER_USER - 5;
    for (let i = 0; i < already; i++) await openAccount(u, { type: "savings", name: `Pot ${i}` });

    const raced = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api("POST", "/v1/accounts", { token: u.access_token, body: { type: "checking", name: `Race ${i}` } }),
      ),
    );
    const statuses = raced.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 422)).toHaveLength(15);
    for (const r of raced.filter((x) => x.status === 422)) expect(r.body.error.code).toBe("unprocessable");

    const n = await env.DB.prepare("SELECT COUNT(*) AS n FROM accounts WHERE user_id = ?").bind(u.user.id).first<{ n: number }>();
    expect(n?.n).toBe(MAX_ACCOUNTS_PER_USER);
    let listed = 0;
    let cursor: string | null = null;
    do {
      const page: { body: { data: unknown[]; next_cursor: string | null } } = await api(
        "GET",
        `/v1/accounts?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
        { token: u.access_token },
      );
      listed += page.body.data.length;
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(listed).toBe(MAX_ACCOUNTS_PER_USER);
  });
});
