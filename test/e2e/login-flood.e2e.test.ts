/**
 * Login flood (issue 8), against a real `wrangler dev`: 19 anonymous clients
 * each loop logins to random emails for ~5 s while a victim reads GET /v1/me.
 * The flood must be refused (429: the per-IP auth limit, the login throttle and
 * the hashing gate), and the victim's median latency during the flood must stay
 * within FLOOD_RATIO_BAR of its baseline (the issue measured 7.7 ms → 208 ms,
 * 27×, before the limits and the gate).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer } from "../../scripts/lib/local-server.mjs";
import { createApi, sleep, type Api } from "./helpers/http";

const LOOPS = 19;
const FLOOD_MS = 5_000;
/**
 * The bar on median(/v1/me during the flood) / median(/v1/me before it). Measured 3.3× (30.6 ms →
 * 99.5 ms) on the shared 2-core machine at load average 8.5, against 13–18× with the gate but no
 * gap between derivations; the bar leaves room for that machine's noise.
 */
const FLOOD_RATIO_BAR = 5;

let server: Awaited<ReturnType<typeof startLocalServer>>;
let api: Api;

beforeAll(async () => {
  server = await startLocalServer({ prefix: "finedge-flood-" });
  api = createApi(server.baseUrl, { timeoutMs: 20_000 });
});

afterAll(async () => {
  await server?.stop();
});

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function timedMe(token: string): Promise<number> {
  const t0 = performance.now();
  const r = await api.request("GET", "/v1/me", { token });
  const ms = performance.now() - t0;
  expect(r.status).toBe(200);
  return ms;
}

describe("a login flood", () => {
  it(`${LOOPS} parallel login loops for ${FLOOD_MS / 1000} s: the flood gets 429s, the victim's /v1/me median stays within ${FLOOD_RATIO_BAR}× its baseline`, {
    timeout: 120_000,
  }, async () => {
    const victim = await api.session(`victim-${Date.now()}@flood.test`, "victim-password-2026", "Victim");
    const token = victim.access_token as string;
    for (let i = 0; i < 20; i++) await timedMe(token); // warm-up
    const baseline: number[] = [];
    for (let i = 0; i < 60; i++) {
      baseline.push(await timedMe(token));
      await sleep(20);
    }

    const statuses = new Map<number, number>();
    const codes = new Map<string, number>();
    const end = Date.now() + FLOOD_MS;
    const flood = Array.from({ length: LOOPS }, async (_, loop) => {
      // One client address per loop, as 19 attackers would be.
      const ip = `198.18.${loop}.${1 + Math.floor(Math.random() * 250)}`;
      while (Date.now() < end) {
        const r = await api.request("POST", "/v1/auth/login", {
          body: { email: `nobody-${crypto.randomUUID()}@flood.test`, password: "a guessed password" },
          headers: { "cf-connecting-ip": ip },
        });
        statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
        if (r.status === 429)
          codes.set(
            r.body?.error?.details?.policy ?? "login-throttle",
            (codes.get(r.body?.error?.details?.policy ?? "login-throttle") ?? 0) + 1,
          );
      }
    });
    const during: number[] = [];
    const victimLoop = (async () => {
      await sleep(300); // let the flood build up
      while (Date.now() < end - 200) {
        during.push(await timedMe(token));
        await sleep(20);
      }
    })();
    await Promise.all([...flood, victimLoop]);

    const base = median(baseline);
    const load = median(during);
    const ratio = load / base;
    console.log(
      JSON.stringify({
        baseline_median_ms: +base.toFixed(2),
        flood_median_ms: +load.toFixed(2),
        ratio: +ratio.toFixed(2),
        victim_reads: during.length,
        flood_statuses: Object.fromEntries(statuses),
        refused_by: Object.fromEntries(codes),
      }),
    );
    expect(statuses.get(429) ?? 0).toBeGreaterThan(0);
    expect(
      [...statuses.keys()].every((s) => s === 401 || s === 429),
      JSON.stringify([...statuses]),
    ).toBe(true);
    expect(during.length).toBeGreaterThan(20);
    expect(ratio).toBeLessThanOrEqual(FLOOD_RATIO_BAR);
  });
});
