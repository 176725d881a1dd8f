/**
 * The price stream in the Workers runtime: a real socket on /v1/market/stream,
 * a real StreamHubDO and MarketDO. Auth timeout, bad and revoked tokens,
 * another user's token on an authenticated socket, subscribe ack, snapshot,
 * gap-free q across ticks, state rebuilt from attachments by a fresh hub
 * instance, and the slow consumer closed.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { StreamHubDO } from "../durable/stream-hub-do";
import { MAX_UNACKED_FRAMES } from "../src/domain/market/stream-protocol";
import { api, registerUser } from "./helpers/auth";
import { postTicks, registerFeeder, TestSocket } from "./helpers/market";

let feeder: { token: string };
let user: Awaited<ReturnType<typeof registerUser>>;

beforeAll(async () => {
  feeder = await registerFeeder();
  user = await registerUser();
});

describe("authentication", () => {
  it("closes a socket that sends no auth within 5 s with 4404", async () => {
    const s = await TestSocket.open();
    await s.waitFor((f) => f.T === "success" && f.msg === "connected");
    const closed = await s.waitClosed(9_000);
    expect(closed.code).toBe(4404);
    expect(s.frames).toContainEqual({ T: "error", code: 404, msg: "auth timeout" });
  }, 15_000);

  it("refuses a bad token and a revoked session with 4402, and data before auth with 401", async () => {
    const early = await TestSocket.open();
    early.send({ action: "subscribe", trades: ["AAPL"] });
    await early.waitFor((f) => f.T === "error" && f.code === 401);
    early.send({ action: "auth", token: "not-a-token" });
    expect((await early.waitClosed()).code).toBe(4402);

    const other = await registerUser();
    const out = await api("POST", "/v1/auth/logout", { token: other.access_token, body: { refresh_token: other.refresh_token } });
    expect(out.status).toBe(204);
    const revoked = await TestSocket.open();
    revoked.send({ action: "auth", token: other.access_token });
    expect((await revoked.waitClosed()).code).toBe(4402);
  });

  it("keeps the first user when another user's token arrives on an authenticated socket", async () => {
    const s = await TestSocket.authed(user.access_token);
    const other = await registerUser();
    s.send({ action: "auth", token: other.access_token });
    await s.waitFor((f) => f.T === "error" && f.code === 403);
    expect(s.closed).toBeNull();
    s.ws.close(1000);
  });

  it("refuses bad messages with 400 and unknown symbols with 409, keeping the socket", async () => {
    const s = await TestSocket.authed(user.access_token);
    s.ws.send("{");
    await s.waitFor((f) => f.T === "error" && f.code === 400);
    s.send({ action: "subscribe", trades: ["NOPE"] });
    await s.waitFor((f) => f.T === "error" && f.code === 409);
    s.send({ action: "dance" });
    expect((await s.waitFor((f) => f.T === "error" && f.code === 400, 5_000, 3)).msg).toMatch(/invalid syntax/);
    expect(s.closed).toBeNull();
    s.ws.close(1000);
  });
});

describe("subscriptions and data", () => {
  it("acks the full set, sends a snapshot, then trades with q = seq + 1, + 2 … and minute bars", async () => {
    const s = await TestSocket.authed(user.access_token);
    s.send({ action: "subscribe", trades: ["SPY"], statuses: ["SPY"] });
    const ack = await s.waitFor((f) => f.T === "subscription");
    expect(ack).toEqual({ T: "subscription", trades: ["SPY"], bars: [], statuses: ["SPY"] });
    const snap = await s.waitFor((f) => f.T === "snapshot" && f.S === "SPY");
    s.send({ action: "subscribe", bars: ["SPY"] });
    expect(await s.waitFor((f) => f.T === "subscription" && f.bars.length === 1)).toEqual({
      T: "subscription",
      trades: ["SPY"],
      bars: ["SPY"],
      statuses: ["SPY"],
    });

    const t = Date.now();
    for (let i = 0; i < 5; i++) {
      const r = await postTicks(feeder.token, [
        { symbol: "SPY", price: 500 + i, size: 1, t: t + i * 2 },
        { symbol: "SPY", price: 500.5 + i, size: 1, t: t + i * 2 + 1 },
      ]);
      expect(r.body.accepted).toBe(2);
    }
    // A trade in the next minute closes the current minute's bar.
    const nextMinute = Math.floor(t / 60_000) * 60_000 + 60_000;
    if (nextMinute <= Date.now() + 4_000) {
      await postTicks(feeder.token, [{ symbol: "SPY", price: 510, t: Math.max(nextMinute, Date.now()) }]);
    }
    await s.waitFor((f) => f.T === "t" && f.q === snap.seq + 10);
    const qs = s.trades("SPY").map((f) => f.q);
    expect(qs.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => snap.seq + 1 + i));
    expect(s.trades("SPY")[0]).toEqual({ T: "t", S: "SPY", p: "500", s: "1", t: new Date(t).toISOString(), q: snap.seq + 1 });

    s.send({ action: "unsubscribe", trades: ["SPY"], bars: ["SPY"], statuses: ["SPY"] });
    expect(await s.waitFor((f) => f.T === "subscription" && f.trades.length === 0)).toEqual({
      T: "subscription",
      trades: [],
      bars: [],
      statuses: [],
    });
    const seen = s.frames.length;
    await postTicks(feeder.token, [{ symbol: "SPY", price: 499, t: Date.now() }]);
    await new Promise((r) => setTimeout(r, 300));
    expect(s.frames.slice(seen).filter((f) => f.T === "t")).toEqual([]);
    s.ws.close(1000);
  });

  it("a fresh hub instance rebuilds its sockets and subscriptions from the attachments and keeps delivering", async () => {
    const s = await TestSocket.authed(user.access_token);
    s.send({ action: "subscribe", trades: ["VTI"] });
    const snap = await s.waitFor((f) => f.T === "snapshot" && f.S === "VTI");
    // Find the hub that holds this socket, then build a second instance over the same state, as a wake does.
    let found = false;
    for (let k = 0; k < 4 && !found; k++) {
      const stub = env.STREAM_HUB.get(env.STREAM_HUB.idFromName(`hub-${k}`));
      await runInDurableObject(stub, (_instance: StreamHubDO, state) => {
        const mine = state.getWebSockets().find((ws) => (ws.deserializeAttachment() as any)?.subs?.trades?.includes("VTI"));
        if (!mine) return;
        found = true;
        const woken = new StreamHubDO(state, env);
        const view = woken.connectionsView().find((c) => c.subs.trades.includes("VTI"));
        expect(view).toMatchObject({ userId: user.user.id, subs: { trades: ["VTI"], bars: [], statuses: [] } });
        const frame = { T: "t" as const, S: "VTI", p: "1", s: "0", t: new Date().toISOString(), q: snap.seq + 1 };
        expect(woken.deliver("VTI", [{ b: Number.MAX_SAFE_INTEGER, frames: [frame] }])).toBe(true);
        expect(woken.deliver("NVDA", [{ b: 1, frames: [] }])).toBe(false);
      });
    }
    expect(found).toBe(true);
    expect(await s.waitFor((f) => f.T === "t" && f.S === "VTI")).toMatchObject({ p: "1", q: snap.seq + 1 });
    s.ws.close(1000);
  });

  it("closes a consumer that leaves too many frames unacknowledged with 4407, and not one that acks", async () => {
    const slow = await TestSocket.authed(user.access_token);
    const fast = await TestSocket.authed(user.access_token);
    for (const s of [slow, fast]) {
      s.send({ action: "subscribe", trades: ["ETH-USD"] });
      await s.waitFor((f) => f.T === "snapshot");
    }
    let acked = 0;
    fast.ws.addEventListener("message", () => {
      acked += 1;
      if (acked % 100 === 0) fast.send({ action: "ack", frames: 100 });
    });
    // One frame per delivery: post one tick at a time until the slow socket is cut (deliveries may coalesce).
    for (let i = 0; i < 3 * MAX_UNACKED_FRAMES && !slow.closed; i++) {
      const r = await postTicks(feeder.token, [{ symbol: "ETH-USD", price: 3000 + (i % 100) / 100, size: 0.1, t: Date.now() }]);
      expect(r.body.accepted).toBe(1);
    }
    expect((await slow.waitClosed()).code).toBe(4407);
    expect(slow.frames).toContainEqual({
      T: "error",
      code: 407,
      msg: `slow client: more than ${MAX_UNACKED_FRAMES} frames unacknowledged`,
    });
    expect(fast.closed).toBeNull();
    fast.ws.close(1000);
  }, 60_000);
});
