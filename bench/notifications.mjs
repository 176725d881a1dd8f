/**
 * Notifications (issue 11): a purchase that crosses a budget threshold →
 * the notification visible in `GET /v1/notifications` (polled every 20 ms)
 * and → its frame on the inbox socket (`GET /v1/notifications/stream`),
 * each measured from the purchase's 201; then webhook deliveries per second
 * to a loopback receiver (10 endpoints, `POST /v1/webhooks/{id}/test` sent
 * as fast as 16 connections allow, every delivery's signature checked with
 * `standardwebhooks` afterwards). The server needs WEBHOOK_ALLOW_LOOPBACK=on
 * (bench/server.mjs sets it).
 */
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";
import WebSocket from "ws";
import { mapLimit, percentile, sleep } from "./util.mjs";

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const r = (v) => (v === null ? null : Math.round(v));
  return { n: s.length, p50_ms: r(percentile(s, 50)), p95_ms: r(percentile(s, 95)), max_ms: r(s[s.length - 1] ?? null) };
};

/** The loopback receiver: records every request and answers 204. */
function receiver() {
  const got = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const headers = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      got.push({ path: req.url, headers, body: Buffer.concat(chunks).toString("utf8"), at: performance.now() });
      res.writeHead(204).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ got, url: (p) => `http://127.0.0.1:${server.address().port}${p}`, stop: () => new Promise((r) => server.close(r)) }),
    ),
  );
}

/** An authenticated inbox socket; `frames` maps a budget category to the arrival time of its notification frame. */
function inboxSocket(baseUrl, userId, token) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace(/^http/, "ws")}/v1/notifications/stream?user_id=${userId}`);
    const frames = new Map();
    const timer = setTimeout(() => reject(new Error("inbox socket did not authenticate")), 15_000);
    ws.on("open", () => ws.send(JSON.stringify({ action: "auth", token })));
    ws.on("error", reject);
    ws.on("message", (data) => {
      const at = performance.now();
      for (const f of JSON.parse(data.toString())) {
        if (f.T === "success" && f.msg === "authenticated") {
          clearTimeout(timer);
          resolve({ ws, frames });
        } else if (f.T === "notification" && f.kind === "budget_threshold_crossed") frames.set(f.data?.category, at);
      }
    });
  });
}

export async function notificationsScenario(api, cfg, runId) {
  const purchases = cfg.notifications.purchases;
  const u = await api.session(`bench-notify-${runId}@finedge.bench`, "bench-password-2026", "Bench Notify");
  const token = u.access_token;
  const acct = await api.post("/v1/accounts", { type: "checking", name: "Notify" }, token);
  await api.post(`/v1/accounts/${acct.id}/transactions`, { kind: "deposit", amount: 100_000_000 }, token, `notify-fund-${runId}`);
  const socket = await inboxSocket(api.baseUrl, u.user.id, token);
  const inboxLag = [];
  const socketLag = [];
  let unseen = 0;
  try {
    for (let i = 0; i < purchases; i++) {
      const category = `bn-${runId}-${i}`;
      await api.put(`/v1/accounts/${acct.id}/budgets/${category}`, { limit: 1_000, alert_at: [0.5] }, token);
      await api.post(
        `/v1/accounts/${acct.id}/transactions`,
        { kind: "purchase", amount: 600, category, merchant: "Bench" },
        token,
        `notify-${runId}-${i}`,
      );
      const posted = performance.now();
      let seen = null;
      while (performance.now() - posted < cfg.notifications.timeoutMs) {
        const r = await api.request("GET", "/v1/notifications?kind=budget_threshold_crossed&limit=5", { token });
        if (r.status === 200 && r.body.data.some((n) => n.data?.category === category)) {
          seen = performance.now();
          break;
        }
        await sleep(20);
      }
      if (seen === null) unseen++;
      else inboxLag.push(seen - posted);
      const deadline = performance.now() + 2_000;
      while (!socket.frames.has(category) && performance.now() < deadline) await sleep(5);
      if (socket.frames.has(category)) socketLag.push(socket.frames.get(category) - posted);
    }
  } finally {
    socket.ws.close();
  }
  const webhooks = await webhookThroughput(api, cfg, token);
  return {
    purchases,
    inbox: { ...stats(inboxLag), not_seen: unseen },
    socket: { ...stats(socketLag), not_received: purchases - socketLag.length },
    webhooks,
    checks: [
      { name: "every webhook delivered", ok: webhooks.received === webhooks.sent, detail: `${webhooks.received}/${webhooks.sent}` },
      {
        name: "every webhook signature verifies (standardwebhooks)",
        ok: webhooks.bad_signatures === 0,
        detail: `${webhooks.bad_signatures} bad`,
      },
    ],
  };
}

const rate = (xs) => (xs.length > 1 ? Math.round(((xs.length - 1) / ((xs[xs.length - 1].at - xs[0].at) / 1000)) * 10) / 10 : null);

/**
 * 10 endpoints, `total` test messages sent through `POST /v1/webhooks/{id}/test` over 16
 * connections: deliveries per second at the receiver (first to last), and end to end from the
 * first enqueue to the last delivery. Each enqueue is an API call and a UserDO write, so the
 * figure is bound by the enqueue rate as much as by the consumer.
 */
async function webhookThroughput(api, cfg, token) {
  const total = cfg.notifications.webhooks;
  const rx = await receiver();
  try {
    const endpoints = [];
    for (let i = 0; i < 10; i++) endpoints.push(await api.post("/v1/webhooks", { url: rx.url(`/bench/${i}`), event_types: ["*"] }, token));
    const started = performance.now();
    await mapLimit(
      Array.from({ length: total }, (_, i) => endpoints[i % endpoints.length]),
      cfg.connections,
      (e) => api.post(`/v1/webhooks/${e.id}/test`, {}, token),
    );
    const enqueued = performance.now();
    const deadline = Date.now() + 120_000;
    while (rx.got.length < total && Date.now() < deadline) await sleep(50);
    const done = rx.got[rx.got.length - 1]?.at ?? performance.now();
    const secrets = new Map(endpoints.map((e, i) => [`/bench/${i}`, e.secret]));
    let bad = 0;
    for (const r of rx.got) {
      try {
        new Webhook(secrets.get(r.path)).verify(r.body, r.headers);
      } catch {
        bad++;
      }
    }
    for (const e of endpoints) await api.request("DELETE", `/v1/webhooks/${e.id}`, { token });
    return {
      sent: total,
      received: new Set(rx.got.map((r) => r.headers["webhook-id"])).size,
      bad_signatures: bad,
      enqueue_s: Math.round(enqueued - started) / 1000,
      end_to_end_s: Math.round(done - started) / 1000,
      per_s_at_receiver: rate(rx.got),
      per_s_end_to_end: Math.round((rx.got.length / ((done - started) / 1000)) * 10) / 10,
    };
  } finally {
    await rx.stop();
  }
}
