/**
 * /v1/webhooks over HTTP in the Workers runtime against the real UserDO:
 * CRUD, the secret shown once, rotation signing with both secrets (verified
 * by the independent `standardwebhooks` package), bad input on every field,
 * SSRF refusals, the per-user limit, another user's ids not found, the
 * delivery log, attempts recorded with backoff and the disable on 410 with
 * its inbox notice, and a notification queuing a delivery only when the
 * preferences and the endpoint's filter say so. Delivery to a real receiver
 * is test/e2e/webhooks.e2e.test.ts.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { UserDO } from "../durable/user-do";
import { userObject } from "../src/auth/sessions";
import { randomToken } from "../src/domain/ids";
import { signedHeaders } from "../src/domain/webhooks/signing";
import type { AnyEvent } from "../src/events/catalog";
import { api, registerUser } from "./helpers/auth";
import { EventFactory, type TestAccount } from "./helpers/events";
import { deliverEvents, waitFor } from "./helpers/pipeline";

// Nothing listens on the discard port: sends there fail fast, which these tests never wait for.
const URL_OK = "http://127.0.0.1:9/hook";
const create = (token: string, body: unknown) => api("POST", "/v1/webhooks", { token, body });

const crossed = (acct: TestAccount): AnyEvent =>
  new EventFactory(acct.userId).budgetCrossed(acct, { threshold: 0.8, spent: 8_000, category: "dining" });

describe("webhook endpoints CRUD", () => {
  it("creates with the secret shown once, lists, gets, patches and deletes", async () => {
    const u = await registerUser();
    const made = await create(u.access_token, { url: URL_OK, event_types: ["budget_threshold_crossed"], description: "home" });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      object: "webhook_endpoint",
      url: URL_OK,
      event_types: ["budget_threshold_crossed"],
      description: "home",
      status: "enabled",
      previous_secret_expires_at: null,
    });
    expect(made.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const id = made.body.id as string;
    expect(id).toMatch(/^whk_[0-9a-z]{20}$/);

    const list = await api("GET", "/v1/webhooks", { token: u.access_token });
    expect(list.status).toBe(200);
    expect(list.body.data.map((e: { id: string }) => e.id)).toEqual([id]);
    const one = await api("GET", `/v1/webhooks/${id}`, { token: u.access_token });
    expect(one.status).toBe(200);
    expect(JSON.stringify([list.body, one.body])).not.toContain("whsec_");

    const patched = await api("PATCH", `/v1/webhooks/${id}`, {
      token: u.access_token,
      body: { event_types: ["*"], description: null, enabled: false },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      event_types: ["*"],
      description: null,
      status: "disabled",
      disabled_reason: "disabled by the user",
    });
    const again = await api("PATCH", `/v1/webhooks/${id}`, { token: u.access_token, body: { enabled: true } });
    expect(again.body).toMatchObject({ status: "enabled", disabled_reason: null });

    expect((await api("DELETE", `/v1/webhooks/${id}`, { token: u.access_token })).status).toBe(204);
    expect((await api("GET", `/v1/webhooks/${id}`, { token: u.access_token })).status).toBe(404);
    expect((await api("DELETE", `/v1/webhooks/${id}`, { token: u.access_token })).status).toBe(404);
  });

  it("rotates: a new secret shown once, and for 24 h both secrets sign (standardwebhooks verifies with either)", async () => {
    const u = await registerUser();
    const made = await create(u.access_token, { url: URL_OK, event_types: ["*"] });
    const id = made.body.id as string;
    const rotated = await api("POST", `/v1/webhooks/${id}/rotate-secret`, { token: u.access_token });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(made.body.secret);
    const until = Date.parse(rotated.body.previous_secret_expires_at);
    expect(until - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(until - Date.now()).toBeLessThanOrEqual(24 * 3_600_000);

    const test = await api("POST", `/v1/webhooks/${id}/test`, { token: u.access_token });
    expect(test.status).toBe(202);
    const plan = await userObject(env, u.user.id).webhookSendPlan(id, test.body.id, 1);
    expect(plan?.secrets).toEqual([rotated.body.secret, made.body.secret]);
    const headers = await signedHeaders(plan!.secrets, plan!.message_id, Math.floor(Date.now() / 1000), plan!.body);
    for (const secret of [made.body.secret, rotated.body.secret]) {
      expect(new Webhook(secret).verify(plan!.body, headers)).toMatchObject({ id: plan!.message_id, type: "webhook.test" });
    }
  });

  it("holds at most 10 endpoints per user", async () => {
    const u = await registerUser();
    for (let i = 0; i < 10; i++) expect((await create(u.access_token, { url: `${URL_OK}/${i}`, event_types: ["*"] })).status).toBe(201);
    const over = await create(u.access_token, { url: URL_OK, event_types: ["*"] });
    expect(over.status).toBe(422);
    expect(over.body.error.code).toBe("unprocessable");
    expect((await api("GET", "/v1/webhooks", { token: u.access_token })).body.data).toHaveLength(10);
  });
});

describe("bad input and SSRF", () => {
  it("refuses every bad field with a 400 and creates nothing", async () => {
    const u = await registerUser();
    const bodies: unknown[] = [
      {},
      { event_types: ["*"] },
      { url: 42, event_types: ["*"] },
      { url: "", event_types: ["*"] },
      { url: `https://hooks.example.com/${"a".repeat(2100)}`, event_types: ["*"] },
      { url: URL_OK },
      { url: URL_OK, event_types: [] },
      { url: URL_OK, event_types: "*" },
      { url: URL_OK, event_types: ["no_such_kind"] },
      { url: URL_OK, event_types: ["*", "*"] },
      { url: URL_OK, event_types: ["*"], description: "" },
      { url: URL_OK, event_types: ["*"], description: "x".repeat(201) },
      { url: URL_OK, event_types: ["*"], description: 7 },
      { url: URL_OK, event_types: ["*"], secret: "whsec_mine" },
    ];
    for (const body of bodies) {
      const r = await create(u.access_token, body);
      expect(r.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(r.body.error.code).toBe("validation_error");
    }
    expect((await api("POST", "/v1/webhooks", { token: u.access_token, rawBody: "{nope" })).status).toBe(400);
    expect((await api("GET", "/v1/webhooks", { token: u.access_token })).body.data).toEqual([]);

    const id = (await create(u.access_token, { url: URL_OK, event_types: ["*"] })).body.id as string;
    for (const body of [{}, { enabled: "yes" }, { url: null }, { event_types: [] }, { color: "red" }]) {
      expect((await api("PATCH", `/v1/webhooks/${id}`, { token: u.access_token, body })).status, JSON.stringify(body)).toBe(400);
    }
    expect((await api("POST", `/v1/webhooks/${id}/test`, { token: u.access_token, body: { x: 1 } })).status).toBe(400);
    expect((await api("GET", `/v1/webhooks/${id}/deliveries?limit=0`, { token: u.access_token })).status).toBe(400);
    expect((await api("GET", `/v1/webhooks/${id}/deliveries?limit=101`, { token: u.access_token })).status).toBe(400);
    expect((await api("GET", "/v1/webhooks/whk_short", { token: u.access_token })).status).toBe(400);
    expect((await api("POST", `/v1/webhooks/${id}/deliveries/dlv_bad/redeliver`, { token: u.access_token })).status).toBe(400);
    expect((await api("GET", "/v1/webhooks")).status).toBe(401);
  });

  it("refuses URLs the SSRF guard refuses, at create and at update, with the reason", async () => {
    const u = await registerUser();
    for (const url of [
      "http://hooks.example.com/",
      "https://user:pw@hooks.example.com/",
      "https://10.0.0.1/",
      "https://169.254.169.254/latest/meta-data",
      "https://100.64.0.1/",
      "https://[fd00::1]/",
      "https://[fe80::1]/",
      "http://[::ffff:127.0.0.1]:8080/",
      "https://localhost/",
      "http://localhost:8787/",
      "https://db.internal/",
      "https://nas.local/",
      "https://hooks.example.com:8443/",
      "javascript:alert(1)",
    ]) {
      const r = await create(u.access_token, { url, event_types: ["*"] });
      expect(r.status, url).toBe(422);
      expect(r.body.error.details.field).toBe("url");
    }
    const id = (await create(u.access_token, { url: URL_OK, event_types: ["*"] })).body.id as string;
    const r = await api("PATCH", `/v1/webhooks/${id}`, { token: u.access_token, body: { url: "https://192.168.0.10/" } });
    expect(r.status).toBe(422);
    expect((await api("GET", `/v1/webhooks/${id}`, { token: u.access_token })).body.url).toBe(URL_OK);
    expect((await create(u.access_token, { url: "https://hooks.example.com/x", event_types: ["*"] })).status).toBe(201);
  });

  it("answers 404 for another user's endpoint and deliveries on every route, changing nothing", async () => {
    const [a, b] = [await registerUser(), await registerUser()];
    const id = (await create(a.access_token, { url: URL_OK, event_types: ["*"] })).body.id as string;
    const dlv = (await api("POST", `/v1/webhooks/${id}/test`, { token: a.access_token })).body.id as string;
    const calls: [string, string, unknown?][] = [
      ["GET", `/v1/webhooks/${id}`],
      ["PATCH", `/v1/webhooks/${id}`, { enabled: false }],
      ["DELETE", `/v1/webhooks/${id}`],
      ["POST", `/v1/webhooks/${id}/rotate-secret`],
      ["POST", `/v1/webhooks/${id}/test`],
      ["GET", `/v1/webhooks/${id}/deliveries`],
      ["POST", `/v1/webhooks/${id}/deliveries/${dlv}/redeliver`],
    ];
    for (const [method, path, body] of calls) {
      const r = await api(method, path, { token: b.access_token, body });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.error.code).toBe("not_found");
    }
    expect((await api("GET", "/v1/webhooks", { token: b.access_token })).body.data).toEqual([]);
    const still = await api("GET", `/v1/webhooks/${id}`, { token: a.access_token });
    expect(still.body).toMatchObject({ status: "enabled", previous_secret_expires_at: null });
    expect((await api("GET", `/v1/webhooks/${id}/deliveries`, { token: a.access_token })).body.data).toHaveLength(1);
    // An unknown delivery of one's own endpoint is not found either.
    const unknown = `dlv_${randomToken()}`;
    expect((await api("POST", `/v1/webhooks/${id}/deliveries/${unknown}/redeliver`, { token: a.access_token })).status).toBe(404);
  });
});

describe("deliveries", () => {
  it("logs the test delivery, redelivers the same message, and refuses both on a disabled endpoint", async () => {
    const u = await registerUser();
    const id = (await create(u.access_token, { url: URL_OK, event_types: ["transfer_failed"] })).body.id as string;
    const test = await api("POST", `/v1/webhooks/${id}/test`, { token: u.access_token });
    expect(test.status).toBe(202);
    expect(test.body).toMatchObject({ object: "webhook_delivery", endpoint_id: id, type: "webhook.test", status: "pending" });
    const again = await api("POST", `/v1/webhooks/${id}/deliveries/${test.body.id}/redeliver`, { token: u.access_token });
    expect(again.status).toBe(202);
    expect(again.body.id).not.toBe(test.body.id);
    expect(again.body.message_id).toBe(test.body.message_id);
    const log = await api("GET", `/v1/webhooks/${id}/deliveries`, { token: u.access_token });
    expect(log.body.data.map((d: { id: string }) => d.id)).toEqual([again.body.id, test.body.id]);

    await api("PATCH", `/v1/webhooks/${id}`, { token: u.access_token, body: { enabled: false } });
    expect((await api("POST", `/v1/webhooks/${id}/test`, { token: u.access_token })).status).toBe(422);
    expect((await api("POST", `/v1/webhooks/${id}/deliveries/${test.body.id}/redeliver`, { token: u.access_token })).status).toBe(422);
  });

  it("records attempts with backoff; a 410 disables the endpoint, ends its pending deliveries and notifies the inbox", async () => {
    const u = await registerUser();
    const id = (await create(u.access_token, { url: URL_OK, event_types: ["*"] })).body.id as string;
    // The real consumer makes attempt 1 (nothing listens: a network error) and queues attempt 2 in 15–30 s;
    // the test reports attempts 2–4 itself before that, as the consumer would.
    const dlv = (await api("POST", `/v1/webhooks/${id}/test`, { token: u.access_token })).body.id as string;
    const user = userObject(env, u.user.id);
    await waitFor(async () => ((await user.listWebhookDeliveries(id, 10))?.[0]?.attempts.length ?? 0) >= 1);
    expect(await user.webhookSendPlan(id, dlv, 1)).toBeNull(); // attempt 1 is done: its duplicate sends nothing
    const plan = await user.webhookSendPlan(id, dlv, 2);
    expect(plan?.attempt).toBe(2);
    expect(await user.webhookSendPlan(id, dlv, 2)).toBeNull(); // leased by the first caller
    const report = { duration_ms: 12, error: "HTTP 500", retry_after: null, base_seconds: 30 };
    const r2 = await user.recordWebhookAttempt(id, dlv, 2, { ...report, status: 500 });
    expect(r2?.retry_in_seconds).toBeGreaterThanOrEqual(30);
    expect(r2?.retry_in_seconds).toBeLessThanOrEqual(60);
    expect(await user.recordWebhookAttempt(id, dlv, 2, { ...report, status: 500 })).toBeNull(); // a replayed report
    const r3 = await user.recordWebhookAttempt(id, dlv, 3, { ...report, status: 503, retry_after: 300 });
    expect(r3?.retry_in_seconds).toBe(300);
    const r4 = await user.recordWebhookAttempt(id, dlv, 4, { ...report, status: 410, error: "HTTP 410" });
    expect(r4).toEqual({ retry_in_seconds: null, disabled: "the endpoint answered 410 Gone" });

    const log = await api("GET", `/v1/webhooks/${id}/deliveries`, { token: u.access_token });
    const row = log.body.data.find((d: { id: string }) => d.id === dlv);
    expect(row).toMatchObject({ status: "failed", next_attempt_at: null });
    expect(row.attempts.map((a: { n: number; status_code: number }) => [a.n, a.status_code])).toEqual([
      [1, null],
      [2, 500],
      [3, 503],
      [4, 410],
    ]);
    expect(row.attempts[0].error).toMatch(/^network error/);
    expect(log.body.data.every((d: { status: string }) => d.status !== "pending")).toBe(true);
    expect((await api("GET", `/v1/webhooks/${id}`, { token: u.access_token })).body).toMatchObject({
      status: "disabled",
      disabled_reason: "the endpoint answered 410 Gone",
    });
    const inbox = await api("GET", "/v1/notifications?kind=webhook_disabled", { token: u.access_token });
    expect(inbox.body.data).toHaveLength(1);
    expect(inbox.body.data[0]).toMatchObject({ title: "A webhook endpoint was disabled", data: { endpoint_id: id } });
    expect(await user.webhookSendPlan(id, dlv, 5)).toBeNull();
  });
});

describe("the sweep", () => {
  it("queues a pending delivery again when its next attempt is long overdue (a lost job), from the UserDO's alarm", async () => {
    const u = await registerUser();
    const id = (await create(u.access_token, { url: URL_OK, event_types: ["*"] })).body.id as string;
    const dlv = (await api("POST", `/v1/webhooks/${id}/test`, { token: u.access_token })).body.id as string;
    const stub = userObject(env, u.user.id);
    const attempts = async () => (await stub.listWebhookDeliveries(id, 10))?.find((d) => d.id === dlv)?.attempts.length ?? 0;
    await waitFor(async () => (await attempts()) >= 1);
    // Attempt 2's job is due in 15–30 s; make it two minutes overdue, as if the queue had lost it.
    await runInDurableObject(stub, (_inst: UserDO, state) => {
      state.storage.sql.exec("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?", Date.now() - 120_000, dlv);
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await waitFor(async () => (await attempts()) >= 2);
    const d = (await stub.listWebhookDeliveries(id, 10))?.find((x) => x.id === dlv);
    expect(d?.attempts.map((a) => a.n)).toEqual([1, 2]);
    expect(d?.status).toBe("pending");
  });
});

describe("notifications to webhooks", () => {
  it("queues a delivery only when the kind's webhook channel is on and the endpoint's filter takes it", async () => {
    const u = await registerUser();
    const budgets = (await create(u.access_token, { url: `${URL_OK}/b`, event_types: ["budget_threshold_crossed"] })).body.id as string;
    const other = (await create(u.access_token, { url: `${URL_OK}/o`, event_types: ["transfer_failed"] })).body.id as string;
    const off = (await create(u.access_token, { url: `${URL_OK}/x`, event_types: ["*"] })).body.id as string;
    await api("PATCH", `/v1/webhooks/${off}`, { token: u.access_token, body: { enabled: false } });
    const a = new EventFactory(u.user.id).account();
    const log = async (id: string) => (await api("GET", `/v1/webhooks/${id}/deliveries`, { token: u.access_token })).body.data;

    // Defaults: no webhooks.
    await deliverEvents([crossed(a)]);
    expect(await log(budgets)).toEqual([]);

    await api("PUT", "/v1/me/notification-preferences", {
      token: u.access_token,
      body: { kinds: { budget_threshold_crossed: { webhook: true } } },
    });
    const event = crossed(a);
    await deliverEvents([event]);
    await deliverEvents([event]); // a redelivery of the same event queues nothing more
    const sent = await log(budgets);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: "budget_threshold_crossed", message_id: expect.stringMatching(/^msg_/) });
    expect(await log(other)).toEqual([]);
    expect(await log(off)).toEqual([]);
    // The body every attempt sends, as stored with the delivery.
    const body = await runInDurableObject(
      userObject(env, u.user.id),
      (_inst: UserDO, state) =>
        state.storage.sql.exec<{ payload: string }>("SELECT payload FROM webhook_deliveries WHERE id = ?", sent[0].id).one().payload,
    );
    const envelope = JSON.parse(body);
    expect(envelope).toMatchObject({
      id: sent[0].message_id,
      type: "budget_threshold_crossed",
      data: { kind: "budget_threshold_crossed", source_event_id: event.event_id, link: "/budgets", facts: { category: "dining" } },
    });
    const inbox = await api("GET", "/v1/notifications?kind=budget_threshold_crossed&limit=1", { token: u.access_token });
    expect(envelope.data.notification_id).toBe(inbox.body.data[0].id);
    expect(Date.parse(envelope.timestamp)).not.toBeNaN();
  });
});
