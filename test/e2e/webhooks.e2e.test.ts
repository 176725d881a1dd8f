/**
 * Outbound webhooks against a real `wrangler dev` and a receiver on loopback
 * that verifies every request with the independent `standardwebhooks`
 * package: a budget crossing after a purchase reaches the endpoint signed;
 * the test route; redelivery with the same webhook-id; a receiver answering
 * 500, then 503 with Retry-After, then 200 shows the retries and their
 * backoff in the delivery log; 410 disables the endpoint with an inbox
 * notice; after a rotation both secrets verify.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalServer } from "../../scripts/lib/local-server.mjs";
import { type Api, createApi, waitFor } from "./helpers/http";
import { type Receiver, startReceiver, verify } from "./helpers/webhook-receiver";

let server: Awaited<ReturnType<typeof startLocalServer>>;
let api: Api;
let rx: Receiver;
let token: string;

beforeAll(async () => {
  rx = await startReceiver();
  server = await startLocalServer({
    prefix: "finedge-webhooks-",
    vars: { WEBHOOK_ALLOW_LOOPBACK: "on", WEBHOOK_RETRY_BASE_SECONDS: "2" },
  });
  api = createApi(server.baseUrl, { timeoutMs: 20_000 });
  token = (await api.session(`hooks-${Date.now()}@webhooks.test`, "webhooks-e2e-password-2026", "Hooks")).access_token;
});

afterAll(async () => {
  await server?.stop();
  await rx?.stop();
});

async function endpoint(path: string, eventTypes: string[] = ["*"]) {
  const made = await api.request("POST", "/v1/webhooks", { token, body: { url: rx.url(path), event_types: eventTypes } });
  expect(made.status).toBe(201);
  return made.body as { id: string; secret: string };
}

type Delivery = {
  id: string;
  message_id: string;
  status: string;
  attempts: { n: number; at: string; status_code: number | null; error: string | null }[];
};
const deliveries = async (id: string) => (await api.get(`/v1/webhooks/${id}/deliveries`, token)).data as Delivery[];

describe("webhooks to a loopback receiver", () => {
  it("sends a signed budget alert after a purchase crosses the threshold", async () => {
    const hook = await endpoint("/budget", ["budget_threshold_crossed"]);
    await api.put("/v1/me/notification-preferences", { kinds: { budget_threshold_crossed: { webhook: true } } }, token);
    const acct = await api.post("/v1/accounts", { type: "checking", name: "Everyday" }, token);
    await api.post(`/v1/accounts/${acct.id}/transactions`, { kind: "deposit", amount: 100_000 }, token, crypto.randomUUID());
    await api.put(`/v1/accounts/${acct.id}/budgets/groceries`, { limit: 10_000, alert_at: [0.8] }, token);
    await api.post(
      `/v1/accounts/${acct.id}/transactions`,
      { kind: "purchase", amount: 8_500, category: "groceries", merchant: "Market" },
      token,
      crypto.randomUUID(),
    );

    const got = await waitFor("the budget webhook", async () => rx.at("/budget")[0], 60_000);
    const envelope = verify(hook.secret, got);
    expect(envelope).toMatchObject({ type: "budget_threshold_crossed", data: { kind: "budget_threshold_crossed", link: "/budgets" } });
    expect(got.headers["webhook-id"]).toBe(envelope.id);
    expect(got.headers["content-type"]).toBe("application/json");
    expect(Math.abs(Number(got.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(60);
    const inbox = await api.get("/v1/notifications?kind=budget_threshold_crossed", token);
    expect(envelope.data.notification_id).toBe(inbox.data[0].id);
    const log = await waitFor("the logged success", async () => {
      const d = await deliveries(hook.id);
      return d[0]?.status === "succeeded" ? d : null;
    });
    expect(log).toHaveLength(1);
    expect(log[0]!.attempts.map((a) => a.status_code)).toEqual([204]);
  });

  it("sends the test event and redelivers it with the same webhook-id; after a rotation both secrets verify", async () => {
    const hook = await endpoint("/test", ["transfer_failed"]);
    const test = await api.request("POST", `/v1/webhooks/${hook.id}/test`, { token });
    expect(test.status).toBe(202);
    const first = await waitFor("the test event", async () => rx.at("/test")[0]);
    expect(verify(hook.secret, first)).toMatchObject({ type: "webhook.test", id: test.body.message_id });

    const rotated = await api.request("POST", `/v1/webhooks/${hook.id}/rotate-secret`, { token });
    expect(rotated.status).toBe(200);
    const again = await api.request("POST", `/v1/webhooks/${hook.id}/deliveries/${test.body.id}/redeliver`, { token });
    expect(again.status).toBe(202);
    const second = await waitFor("the redelivery", async () => rx.at("/test")[1]);
    expect(second.headers["webhook-id"]).toBe(first.headers["webhook-id"]);
    expect(second.body).toBe(first.body);
    expect(second.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(verify(hook.secret, second).id).toBe(test.body.message_id);
    expect(verify(rotated.body.secret, second).id).toBe(test.body.message_id);
    expect(() => verify(rotated.body.secret, first)).toThrow();
  });

  it("retries a failing receiver with backoff and honours Retry-After, all in the delivery log", async () => {
    rx.on("/flaky", [{ status: 500 }, { status: 503, headers: { "retry-after": "4" } }, { status: 200 }]);
    const hook = await endpoint("/flaky");
    const test = await api.request("POST", `/v1/webhooks/${hook.id}/test`, { token });
    const log = await waitFor(
      "three attempts",
      async () => {
        const d = (await deliveries(hook.id)).find((x) => x.id === test.body.id);
        return d?.status === "succeeded" ? d : null;
      },
      60_000,
    );
    expect(log.attempts.map((a) => [a.n, a.status_code])).toEqual([
      [1, 500],
      [2, 503],
      [3, 200],
    ]);
    expect(log.attempts[0]!.error).toBe("HTTP 500");
    const times = rx.at("/flaky").map((r) => r.at);
    expect(times).toHaveLength(3);
    // Attempt 1 waits 1–2 s (base 2 s, jitter); the 503 asked for 4 s, longer than attempt 2's own 2–4 s.
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(900);
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(3_900);
    for (const r of rx.at("/flaky")) expect(verify(hook.secret, r).id).toBe(test.body.message_id);
  });

  it("disables the endpoint on 410 and says so in the inbox", async () => {
    rx.on("/gone", [{ status: 410 }]);
    const hook = await endpoint("/gone");
    await api.request("POST", `/v1/webhooks/${hook.id}/test`, { token });
    const disabled = await waitFor("the disable", async () => {
      const e = await api.get(`/v1/webhooks/${hook.id}`, token);
      return e.status === "disabled" ? e : null;
    });
    expect(disabled.disabled_reason).toBe("the endpoint answered 410 Gone");
    const inbox = await api.get("/v1/notifications?kind=webhook_disabled", token);
    expect(inbox.data.map((n: { data: { endpoint_id: string } }) => n.data.endpoint_id)).toContain(hook.id);
    expect((await api.request("POST", `/v1/webhooks/${hook.id}/test`, { token })).status).toBe(422);
    expect(rx.at("/gone")).toHaveLength(1);
  });

  it("caps the answer it reads and the time it waits", async () => {
    rx.on("/endless", [{ status: 200, mode: "endless" }]);
    rx.on("/hang", [{ status: 200, mode: "hang" }]);
    const endless = await endpoint("/endless");
    const hang = await endpoint("/hang");
    const [a, b] = [
      await api.request("POST", `/v1/webhooks/${endless.id}/test`, { token }),
      await api.request("POST", `/v1/webhooks/${hang.id}/test`, { token }),
    ];
    // An answer that never ends: 64 KiB are read, then the attempt is done (and succeeded).
    const big = await waitFor("the endless answer's attempt", async () =>
      (await deliveries(endless.id)).find((x) => x.id === a.body.id && x.attempts.length > 0),
    );
    expect(big.status).toBe("succeeded");
    // No answer at all: the 10 s timeout ends the attempt, which is retried.
    const slow = await waitFor(
      "the timed-out attempt",
      async () => (await deliveries(hang.id)).find((x) => x.id === b.body.id && x.attempts.length > 0),
      40_000,
    );
    expect(slow.attempts[0]).toMatchObject({ status_code: null, error: "timed out after 10 s" });
    expect(slow.status).toBe("pending");
    await api.request("DELETE", `/v1/webhooks/${hang.id}`, { token });
  });

  it("does not follow a redirect: a 3xx is a failed attempt", async () => {
    rx.on("/moved", [{ status: 302, headers: { location: rx.url("/budget") } }]);
    const hook = await endpoint("/moved");
    const test = await api.request("POST", `/v1/webhooks/${hook.id}/test`, { token });
    const d = await waitFor("the failed attempt", async () =>
      (await deliveries(hook.id)).find((x) => x.id === test.body.id && x.attempts.length > 0),
    );
    expect(d.attempts[0]).toMatchObject({ status_code: 302, error: "redirect (302) not followed" });
    expect(d.status).toBe("pending");
    expect(rx.at("/budget").filter((r) => r.body.includes("webhook.test"))).toHaveLength(0);
    await api.request("DELETE", `/v1/webhooks/${hook.id}`, { token });
  });
});
