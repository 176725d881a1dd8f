/**
 * The inbox over HTTP and its live socket, in the Workers runtime: list with
 * cursor and filters, read and read-all, the unread count in /v1/me, alerts
 * acknowledged and dismissed, preferences; bad input on every route is a 4xx
 * that changes nothing; another user's ids are not found. The socket: auth
 * timeout, refusal of other users and bad tokens, live frames, catch-up.
 */
import { describe, expect, it } from "vitest";
import type { AnyEvent } from "../src/events/catalog";
import { api, registerUser } from "./helpers/auth";
import { EventFactory, type TestAccount } from "./helpers/events";
import { TestSocket } from "./helpers/market";
import { deliverEvents } from "./helpers/pipeline";

const crossed = (acct: TestAccount, threshold: number): AnyEvent =>
  new EventFactory(acct.userId).budgetCrossed(acct, { threshold, spent: 9_000, category: "dining" });

async function userWithInbox(n: number) {
  const u = await registerUser();
  const f = new EventFactory(u.user.id);
  const a = f.account();
  const events = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? crossed(a, 0.5 + i / 100) : f.tx(a, "transfer_in", 100 + i)));
  await deliverEvents(events);
  return { ...u, f, a };
}

const streamPath = (userId: string) => `/v1/notifications/stream?user_id=${userId}`;

describe("GET /v1/notifications and reads", () => {
  it("pages newest first with a cursor, filters unread and kind, reads one and all, counts unread in /v1/me", async () => {
    const u = await userWithInbox(5);
    const p1 = await api("GET", "/v1/notifications?limit=2", { token: u.access_token });
    expect(p1.status).toBe(200);
    expect(p1.body).toMatchObject({ object: "list", has_more: true, unread_count: 5 });
    const p2 = await api("GET", `/v1/notifications?limit=2&cursor=${p1.body.next_cursor}`, { token: u.access_token });
    const p3 = await api("GET", `/v1/notifications?limit=2&cursor=${p2.body.next_cursor}`, { token: u.access_token });
    expect(p3.body).toMatchObject({ has_more: false, next_cursor: null });
    const ids = [...p1.body.data, ...p2.body.data, ...p3.body.data].map((n: { id: string }) => n.id);
    expect(ids).toHaveLength(5);
    expect([...ids].sort().reverse()).toEqual(ids);

    const budgets = await api("GET", "/v1/notifications?kind=budget_threshold_crossed", { token: u.access_token });
    expect(budgets.body.data).toHaveLength(3);

    const read = await api("POST", `/v1/notifications/${ids[0]}/read`, { token: u.access_token });
    expect(read.status).toBe(200);
    expect(read.body.read_at).not.toBeNull();
    const again = await api("POST", `/v1/notifications/${ids[0]}/read`, { token: u.access_token });
    expect(again.body.read_at).toBe(read.body.read_at);
    const unread = await api("GET", "/v1/notifications?unread=true", { token: u.access_token });
    expect(unread.body.data.map((n: { id: string }) => n.id)).toEqual(ids.slice(1));
    expect((await api("GET", "/v1/me", { token: u.access_token })).body.unread_notifications).toBe(4);

    const all = await api("POST", "/v1/notifications/read-all", { token: u.access_token });
    expect(all.body).toEqual({ marked: 4, unread_count: 0 });
    expect((await api("GET", "/v1/me", { token: u.access_token })).body.unread_notifications).toBe(0);
  });

  it("answers another user's notification and alert ids with 404, changing nothing", async () => {
    const owner = await userWithInbox(1);
    const other = await registerUser();
    const id = (await api("GET", "/v1/notifications", { token: owner.access_token })).body.data[0].id;
    for (const path of [`/v1/notifications/${id}/read`, `/v1/alerts/${id}/acknowledge`, `/v1/alerts/${id}/dismiss`])
      expect((await api("POST", path, { token: other.access_token })).status).toBe(404);
    const mine = await api("GET", "/v1/notifications", { token: owner.access_token });
    expect(mine.body.data[0]).toMatchObject({ id, read_at: null, alert_state: "open" });
  });

  it("refuses bad input on every route with a 4xx envelope and changes nothing", async () => {
    const u = await userWithInbox(2);
    const before = await api("GET", "/v1/notifications", { token: u.access_token });
    const t = { token: u.access_token };
    const cases: [string, string, object, number][] = [
      ["GET", "/v1/notifications?limit=0", t, 400],
      ["GET", "/v1/notifications?limit=101", t, 400],
      ["GET", "/v1/notifications?limit=1.5", t, 400],
      ["GET", "/v1/notifications?unread=yes", t, 400],
      ["GET", "/v1/notifications?kind=spam", t, 400],
      ["GET", "/v1/notifications?cursor=abc", t, 400],
      ["POST", "/v1/notifications/ntf_1/read", t, 400],
      ["POST", "/v1/notifications/ntf_999999999999/read", t, 404],
      ["POST", `/v1/notifications/${before.body.data[0].id}/read`, { ...t, body: { read: true } }, 400],
      ["POST", `/v1/notifications/${before.body.data[0].id}/read`, { ...t, rawBody: "{" }, 400],
      ["POST", "/v1/notifications/read-all", { ...t, body: { all: true } }, 400],
      ["POST", "/v1/alerts/nope/acknowledge", t, 400],
      ["PUT", "/v1/me/notification-preferences", { ...t, body: { kinds: { spam: { in_app: false } } } }, 400],
      ["PUT", "/v1/me/notification-preferences", { ...t, body: { kinds: { large_withdrawal: { in_app: "no" } } } }, 400],
      ["PUT", "/v1/me/notification-preferences", { ...t, body: { kinds: { large_withdrawal: { sms: true } } } }, 400],
      [
        "PUT",
        "/v1/me/notification-preferences",
        { ...t, body: { quiet_hours: { start: "25:00", end: "07:00", utc_offset_minutes: 0 } } },
        400,
      ],
      [
        "PUT",
        "/v1/me/notification-preferences",
        { ...t, body: { quiet_hours: { start: "22:00", end: "07:00", utc_offset_minutes: 900 } } },
        400,
      ],
      ["PUT", "/v1/me/notification-preferences", { ...t, rawBody: "[]" }, 400],
      ["GET", "/v1/notifications/stream?user_id=nobody", { headers: { upgrade: "websocket" } }, 400],
      ["GET", `/v1/notifications/stream?user_id=${u.user.id}`, {}, 400],
      ["GET", "/v1/notifications", {}, 401],
      ["GET", "/v1/alerts", {}, 401],
      ["GET", "/v1/me/notification-preferences", {}, 401],
    ];
    for (const [method, path, opts, status] of cases) {
      const r = await api(method, path, opts);
      expect(r.status, `${method} ${path}`).toBe(status);
      expect(r.body.error?.code, `${method} ${path}`).toBeTypeOf("string");
    }
    expect(await api("GET", "/v1/notifications", { token: u.access_token })).toMatchObject({ body: before.body });
    expect((await api("GET", "/v1/me/notification-preferences", t)).body.quiet_hours).toBeNull();
  });
});

describe("sign-in from a new device", () => {
  it("notifies a login from a new user agent or network with its IP prefix, never the address; a known device is quiet", async () => {
    const email = `dev-${crypto.randomUUID()}@example.test`;
    const password = "correct horse battery staple";
    const ua = { "user-agent": "Firefox/140 (X11; Linux)", "cf-connecting-ip": "203.0.113.77" };
    const reg = await api("POST", "/v1/auth/register", { body: { email, password }, headers: ua });
    const t = { token: reg.body.access_token };
    expect((await api("POST", "/v1/auth/login", { body: { email, password }, headers: ua })).status).toBe(200);
    expect((await api("GET", "/v1/notifications", t)).body.data).toEqual([]);
    const android = "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/150.0.0.0 Mobile Safari/537.36";
    await api("POST", "/v1/auth/login", { body: { email, password }, headers: { ...ua, "user-agent": android } });
    const list = await api("GET", "/v1/notifications", t);
    expect(list.body.data).toHaveLength(1);
    expect(list.body.data[0]).toMatchObject({
      kind: "new_device_login",
      data: { user_agent: android, ip_prefix: "203.0.113.0/24" },
    });
    // The text names the device as a person reads it, never the raw header.
    expect(list.body.data[0].body).toBe(
      "A sign-in from a new device: Chrome 150 on Android, network 203.0.113.0/24. If this was not you, change your password and sign out everywhere.",
    );
    expect(JSON.stringify(list.body)).not.toContain("203.0.113.77");
  });
});

describe("preferences and alerts", () => {
  it("has sensible defaults, changes only what is named, and a muted kind stays out of the inbox", async () => {
    const u = await registerUser();
    const t = { token: u.access_token };
    const d = await api("GET", "/v1/me/notification-preferences", t);
    expect(d.body.kinds.budget_threshold_crossed).toEqual({ in_app: true, email: true, webhook: false });
    expect(d.body.kinds.transfer_received).toEqual({ in_app: true, email: false, webhook: false });
    const put = await api("PUT", "/v1/me/notification-preferences", {
      ...t,
      body: { kinds: { transfer_received: { in_app: false } }, quiet_hours: { start: "22:00", end: "07:00", utc_offset_minutes: 60 } },
    });
    expect(put.status).toBe(200);
    expect(put.body.kinds.transfer_received).toEqual({ in_app: false, email: false, webhook: false });
    expect(put.body.kinds.budget_threshold_crossed).toEqual(d.body.kinds.budget_threshold_crossed);
    const f = new EventFactory(u.user.id);
    const a = f.account();
    await deliverEvents([f.tx(a, "transfer_in", 500), crossed(a, 0.8)]);
    const list = await api("GET", "/v1/notifications", t);
    expect(list.body.data.map((n: { kind: string }) => n.kind)).toEqual(["budget_threshold_crossed"]);
  });

  it("lists open alerts with their reasons; acknowledge keeps them listed, dismiss removes them", async () => {
    const u = await registerUser();
    const t = { token: u.access_token };
    const f = new EventFactory(u.user.id);
    const a = f.account();
    await deliverEvents([crossed(a, 0.8), crossed(a, 0.9)]);
    const alerts = await api("GET", "/v1/alerts", t);
    expect(alerts.body.data).toHaveLength(2);
    expect(alerts.body.data[0]).toMatchObject({ status: "open", kind: "budget_threshold_crossed" });
    expect(alerts.body.data[0].reasons).toEqual(["dining: spent $90.00 of the monthly limit $100.00", "crossed the 90 % alert threshold"]);
    const [newest, older] = alerts.body.data;
    expect((await api("POST", `/v1/alerts/${newest.id}/acknowledge`, t)).body.status).toBe("acknowledged");
    expect((await api("POST", `/v1/alerts/${older.id}/dismiss`, t)).status).toBe(200);
    const after = await api("GET", "/v1/alerts", t);
    expect(after.body.data.map((x: { id: string; status: string }) => [x.id, x.status])).toEqual([[newest.id, "acknowledged"]]);
    expect((await api("GET", "/v1/me", t)).body.unread_notifications).toBe(0);
  });
});

describe("GET /v1/notifications/stream", () => {
  it("closes a socket that does not authenticate within 5 s with 4404", async () => {
    const u = await registerUser();
    const s = await TestSocket.open(streamPath(u.user.id));
    await s.waitFor((f) => f.T === "success" && f.msg === "connected");
    expect((await s.waitClosed(9_000)).code).toBe(4404);
  }, 15_000);

  it("refuses resume before auth (401), a bad token and another user's token (4402)", async () => {
    const owner = await registerUser();
    const other = await registerUser();
    const early = await TestSocket.open(streamPath(owner.user.id));
    early.send({ action: "resume", after: null });
    await early.waitFor((f) => f.T === "error" && f.code === 401);
    early.send({ action: "auth", token: "not-a-token" });
    expect((await early.waitClosed()).code).toBe(4402);
    const foreign = await TestSocket.open(streamPath(owner.user.id));
    foreign.send({ action: "auth", token: other.access_token });
    expect((await foreign.waitClosed()).code).toBe(4402);
    expect(foreign.frames.some((f) => f.T === "notification")).toBe(false);
  });

  it("closes a socket (4411) when the session it signed in with is revoked; another session's socket stays", async () => {
    const u = await registerUser({ password: "correct horse battery staple" });
    const login = await api("POST", "/v1/auth/login", { body: { email: u.user.email, password: "correct horse battery staple" } });
    expect(login.status).toBe(200);
    const first = await TestSocket.authed(u.access_token, streamPath(u.user.id));
    const second = await TestSocket.authed(login.body.access_token, streamPath(u.user.id));
    expect((await api("POST", "/v1/auth/logout", { token: u.access_token, body: {} })).status).toBe(204);
    expect((await first.waitClosed()).code).toBe(4411);
    expect(first.frames.some((f) => f.T === "error" && f.code === 411)).toBe(true);
    // The other session's socket still gets what is new.
    const f = new EventFactory(u.user.id);
    const e = crossed(f.account(), 0.8);
    await deliverEvents([e]);
    await second.waitFor((x) => x.T === "notification" && x.source_event_id === e.event_id);
    expect(first.frames.some((x) => x.T === "notification")).toBe(false);
    expect((await api("POST", "/v1/auth/logout", { token: login.body.access_token, body: {} })).status).toBe(204);
    expect((await second.waitClosed()).code).toBe(4411);
  });

  it("pushes new notifications live to every device, and a reconnecting client catches up after its last id", async () => {
    const u = await registerUser();
    const f = new EventFactory(u.user.id);
    const a = f.account();
    const phone = await TestSocket.authed(u.access_token, streamPath(u.user.id));
    const laptop = await TestSocket.authed(u.access_token, streamPath(u.user.id));
    const first = crossed(a, 0.8);
    await deliverEvents([first]);
    const live = await phone.waitFor((x) => x.T === "notification");
    expect(live).toMatchObject({ kind: "budget_threshold_crossed", source_event_id: first.event_id });
    await laptop.waitFor((x) => x.T === "notification" && x.id === live.id);
    await phone.waitFor((x) => x.T === "unread" && x.count === 1);
    // A redelivery sends nothing new.
    await deliverEvents([first]);
    phone.ws.close(1000);

    await deliverEvents([f.tx(a, "transfer_in", 300), crossed(a, 0.9)]);
    const back = await TestSocket.authed(u.access_token, streamPath(u.user.id));
    back.send({ action: "resume", after: live.id });
    const done = await back.waitFor((x) => x.T === "resumed");
    const caught = back.frames.filter((x) => x.T === "notification");
    expect(caught.map((x) => x.kind)).toEqual(["transfer_received", "budget_threshold_crossed"]);
    expect(done.last).toBe(caught[1].id);
    expect(laptop.frames.filter((x) => x.T === "notification")).toHaveLength(3);
    back.send({ action: "resume", after: "ntf_x" });
    await back.waitFor((x) => x.T === "error" && x.code === 400);
    back.ws.close(1000);
    laptop.ws.close(1000);
  });
});
