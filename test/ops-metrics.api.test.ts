/**
 * Operations (issue 13): the deep health check, Prometheus metrics that
 * reflect traffic (per route pattern and status, latency, pipeline lag, queue
 * consumers, open dead letters) and the access log, which never holds PII.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { handleQueueBatch } from "../queues/dispatch";
import { PROBE_NAME } from "../src/lib/health-checks";
import { upsertDeadLetterStatement } from "../src/db/pipeline/dead-letters";
import { api, registerUser, uniqueEmail } from "./helpers/auth";
import { EventFactory } from "./helpers/events";
import { adminToken, messageBatch } from "./helpers/pipeline";

/** The value of one sample line, e.g. sample(text, 'finedge_http_requests_total{method="GET",route="/v1/me",status="200"}'). */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
const scrape = async (admin: string) => {
  const res = await api("GET", "/v1/admin/metrics", { token: admin });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body as string;
};

describe("GET /v1/admin/health", () => {
  it("checks every binding with a latency; a user token is a 403", async () => {
    const admin = await adminToken();
    const res = await api("GET", "/v1/admin/health", { token: admin });
    expect(res.status).toBe(200);
    expect(res.body.status, JSON.stringify(res.body)).toBe("ok");
    const names = res.body.checks.map((c: { name: string }) => c.name).sort();
    expect(names).toEqual([
      "ACCOUNT",
      "DB",
      "EVENTS",
      "EVENTS_DLQ",
      "JOBS",
      "LAKE",
      "MARKET",
      "METRICS",
      "NOTIFICATIONS",
      "NOTIFICATIONS_DLQ",
      "STREAM_HUB",
      "USER",
      "WEBHOOKS",
    ]);
    for (const c of res.body.checks) {
      expect(c.status).toBe("ok");
      expect(c.latency_ms).toBeGreaterThanOrEqual(0);
    }
    expect(res.body.checks.find((c: { name: string }) => c.name === "EVENTS").detail).toMatchObject({
      backlog_messages: expect.any(Number),
    });
    const kinds = res.body.checks.filter((c: { kind: string }) => c.kind === "durable_object").map((c: { name: string }) => c.name);
    expect(kinds.sort()).toEqual(["ACCOUNT", "MARKET", "METRICS", "STREAM_HUB", "USER"]);
    expect(res.body.checks.find((c: { name: string }) => c.name === "MARKET").detail).toMatchObject({ seq: expect.any(Number) });
    // The probes are read-only: the probe account stays unopened and the probe hub holds no connection.
    const again = await api("GET", "/v1/admin/health", { token: admin });
    expect(again.body.status).toBe("ok");
    const hub = env.STREAM_HUB.get(env.STREAM_HUB.idFromName(PROBE_NAME));
    expect(await hub.connectionsView()).toEqual([]);
    const u = await registerUser();
    expect((await api("GET", "/v1/admin/health", { token: u.access_token })).status).toBe(403);
    expect((await api("GET", "/v1/admin/metrics", { token: u.access_token })).status).toBe(403);
    expect((await api("GET", "/health")).body.status).toBe("ok");
  });
});

describe("GET /v1/admin/metrics", () => {
  it("counts requests per route pattern and status, with a latency histogram, and never a raw path", async () => {
    const admin = await adminToken();
    const u = await registerUser();
    const me = 'finedge_http_requests_total{method="GET",route="/v1/me",status="200"}';
    const account = 'finedge_http_requests_total{method="GET",route="/v1/accounts/:id",status="404"}';
    const unmatched = 'finedge_http_requests_total{method="GET",route="unmatched",status="404"}';
    const latency = 'finedge_http_request_duration_seconds_count{method="GET",route="/v1/me"}';
    const before = await scrape(admin);
    for (let i = 0; i < 3; i++) expect((await api("GET", "/v1/me", { token: u.access_token })).status).toBe(200);
    const missing = "acc_zzzzzzzzzzzzzzzzzzzz";
    expect((await api("GET", `/v1/accounts/${missing}`, { token: u.access_token })).status).toBe(404);
    expect((await api("GET", "/v1/no-such-route-xyz")).status).toBe(404);
    const after = await scrape(admin);
    expect(sample(after, me) - sample(before, me)).toBe(3);
    expect(sample(after, latency) - sample(before, latency)).toBe(3);
    expect(sample(after, account) - sample(before, account)).toBe(1);
    expect(sample(after, unmatched) - sample(before, unmatched)).toBe(1);
    expect(after).toContain('finedge_http_request_duration_seconds_bucket{method="GET",route="/v1/me",le="+Inf"}');
    expect(after).toContain("# TYPE finedge_http_request_duration_seconds histogram");
    expect(after).not.toContain(missing);
    expect(after).not.toContain("no-such-route-xyz");
  });

  it("measures pipeline lag from commit to Gold, consumer throughput and open dead letters", async () => {
    const admin = await adminToken();
    const f = new EventFactory();
    const acct = f.account();
    const committed = new Date(Date.now() - 3_000).toISOString();
    const events = [f.opened(acct), f.tx(acct, "deposit", 500)].map((e) => ({ ...e, recorded_at: committed }));
    const lagCount = "finedge_pipeline_lag_seconds_count";
    const lagSum = "finedge_pipeline_lag_seconds_sum";
    const consumed = 'finedge_queue_messages_total{queue="finedge-events"}';
    const dead = 'finedge_dead_letters_open{source_queue="finedge-events"}';
    const before = await scrape(admin);
    await handleQueueBatch(messageBatch("finedge-events", events), env, createExecutionContext());
    const now = new Date().toISOString();
    await (
      await upsertDeadLetterStatement(
        env.DB,
        {
          rawBody: JSON.stringify({ poison: crypto.randomUUID() }),
          eventId: null,
          sourceQueue: "finedge-events",
          error: "bad",
          deliveryAttempts: 1,
          seenAt: now,
        },
        now,
      )
    ).run();
    const after = await scrape(admin);
    expect(sample(after, lagCount) - sample(before, lagCount)).toBe(2);
    const addedSeconds = sample(after, lagSum) - sample(before, lagSum);
    expect(addedSeconds).toBeGreaterThanOrEqual(6);
    expect(addedSeconds).toBeLessThan(30);
    expect(sample(after, consumed) - sample(before, consumed)).toBe(2);
    expect(sample(after, dead) - sample(before, dead)).toBe(1);
    expect(after).toMatch(/^finedge_queue_backlog_messages\{binding="EVENTS"\} \d+$/m);
  });
});

describe("the access log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("is one JSON line per request with its request id and route pattern, and no PII", async () => {
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
      lines.push(args.map(String).join(" "));
    });
    const email = uniqueEmail("private.person");
    const password = "a very private passphrase";
    const reg = await api("POST", "/v1/auth/register", {
      body: { email, password, name: "Ada Lovelace" },
      headers: { "cf-connecting-ip": "203.0.113.77", "user-agent": "SecretBrowser/1.0" },
    });
    expect(reg.status).toBe(201);
    const admin = await adminToken();
    const list = await api("GET", `/v1/admin/users?email=${encodeURIComponent(email)}`, {
      token: admin,
      headers: { "x-request-id": "req-access-log-test-1" },
    });
    expect(list.status).toBe(200);
    const log = lines.filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l));
    const entry = log.find((l) => l.request_id === "req-access-log-test-1");
    expect(entry).toMatchObject({ level: "info", method: "GET", route: "/v1/admin/users", status: 200, duration_ms: expect.any(Number) });
    expect(log.find((l) => l.route === "/v1/auth/register")).toMatchObject({ status: 201, user_id: null });
    const all = lines.join("\n");
    for (const pii of [email, encodeURIComponent(email), "private.person", password, "Ada Lovelace", "203.0.113.77", "SecretBrowser"])
      expect(all).not.toContain(pii);
  });
});
