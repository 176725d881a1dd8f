/**
 * The demo year over HTTP on a real `wrangler dev`: with BACKDATE_DAYS=370
 * (local environments only, src/config.ts) the API takes occurred_at up to
 * 370 days back, so seedDemo posts a year of history through the public API,
 * as `npm run dev` does when .dev.vars sets it. The journal then reaches back
 * a year, a transaction 371 days back is still a 400 that stores nothing, and
 * the pipeline's recurring streams start about a year ago. (Without the
 * variable the limit is 90 days: test/date-ranges.api.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../../scripts/demo-data.mjs";
import { DEMO_ACCOUNTS, DEMO_USER } from "../../scripts/lib/demo-plan.mjs";
import { startLocalServer } from "../../scripts/lib/local-server.mjs";
import { allTransactions, createApi, waitFor } from "./helpers/http";

const DAY = 86_400_000;
let server: Awaited<ReturnType<typeof startLocalServer>>;
let seeded: Awaited<ReturnType<typeof seedDemo>>;

beforeAll(async () => {
  server = await startLocalServer({ prefix: "finedge-demo-year-", vars: { BACKDATE_DAYS: "370" } });
  seeded = await seedDemo(server.baseUrl, { days: 365 });
}, 600_000);

afterAll(async () => {
  await server?.stop();
});

describe("the demo year over HTTP (BACKDATE_DAYS=370, local only)", () => {
  it("posts a year of history through the API; older than the limit is refused; the pipeline sees the year", async () => {
    const api = createApi(server.baseUrl);
    const login = await api.request("POST", "/v1/auth/login", { body: { email: DEMO_USER.email, password: DEMO_USER.password } });
    const token = login.body.access_token as string;
    const accounts = (await api.get("/v1/accounts?limit=50", token)).data as { id: string; name: string; type: string }[];
    const checking = accounts.find((a) => a.name === DEMO_ACCOUNTS.checking.name && a.type === DEMO_ACCOUNTS.checking.type)!;
    const txs = await allTransactions(api, checking.id, token);
    const oldest = Math.min(...txs.filter((t) => t.kind !== "deposit" || t.seq > 1).map((t) => Date.parse(t.occurred_at)));
    const now = Date.now();
    expect(now - oldest).toBeGreaterThan(360 * DAY);
    expect(now - oldest).toBeLessThan(366 * DAY);
    console.log(`[demo-year] seeded ${seeded.transactions ?? 0} transactions in ${(seeded.ms / 1000).toFixed(1)} s`);

    const tooOld = await api.request("POST", `/v1/accounts/${checking.id}/transactions`, {
      token,
      headers: { "Idempotency-Key": crypto.randomUUID() },
      body: { kind: "purchase", amount: 100, merchant: "Too Old", occurred_at: new Date(now - 371 * DAY).toISOString() },
    });
    expect(tooOld.status).toBe(400);
    expect(tooOld.body.error.message).toContain("at most 370 days in the past");
    expect((await allTransactions(api, checking.id, token)).length).toBe(txs.length);

    // The consumer follows: a monthly stream whose first charge is about a year old.
    const streams = await waitFor(
      "recurring streams over the year",
      async () => {
        const r = await api.request("GET", "/v1/recurring", { token });
        const old = (r.body.data ?? []).filter(
          (s: { frequency: string; first_date: string }) => s.frequency === "monthly" && now - Date.parse(s.first_date) > 300 * DAY,
        );
        return old.length > 0 ? old : null;
      },
      180_000,
      2_000,
    );
    expect(streams.length).toBeGreaterThan(0);
  });
});
