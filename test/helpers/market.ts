/**
 * Market test helpers: a feeder (granted by the operator statements, then a
 * refresh that carries the role), tick posting, and a WebSocket client on the
 * Worker's own /v1/market/stream that collects every frame it receives.
 */
import { env, exports } from "cloudflare:workers";
import { roleChangeStatements } from "../../src/auth/role-grants";
import { api, randomClientIp, registerUser } from "./auth";

export async function registerFeeder(): Promise<{ token: string; userId: string }> {
  const s = await registerUser();
  const statements = roleChangeStatements({
    action: "grant",
    role: "feeder",
    email: s.user.email,
    actor: "test-operator",
    reason: "test",
    at: new Date().toISOString(),
  });
  await env.DB.batch(statements.map((q) => env.DB.prepare(q)));
  const r = await api("POST", "/v1/auth/refresh", { body: { refresh_token: s.refresh_token } });
  if (r.status !== 200 || r.body.user.role !== "feeder") throw new Error(`feeder refresh failed: ${r.status}`);
  return { token: r.body.access_token, userId: s.user.id };
}

/** Polls an order until `done` holds (fills arrive from the MarketDO after the tick's reply). */
export async function waitForOrder(token: string, accountId: string, orderId: string, done: (o: any) => boolean): Promise<any> {
  for (let i = 0; i < 100; i++) {
    const r = await api("GET", `/v1/accounts/${accountId}/orders/${orderId}`, { token });
    if (done(r.body)) return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  throw new Error(`order ${orderId} never reached the state`);
}

export function postTicks(token: string, ticks: unknown[]) {
  return api("POST", "/v1/market/ticks", { token, body: { ticks } });
}

export class TestSocket {
  readonly frames: any[] = [];
  closed: { code: number; reason: string } | null = null;
  #waiters: (() => void)[] = [];

  constructor(readonly ws: WebSocket) {
    ws.accept();
    ws.addEventListener("message", (e) => {
      for (const f of JSON.parse(e.data as string)) this.frames.push(f);
      this.#wake();
    });
    ws.addEventListener("close", (e) => {
      this.closed = { code: e.code, reason: e.reason };
      this.#wake();
    });
  }

  static async open(path = "/v1/market/stream"): Promise<TestSocket> {
    const res = await exports.default.fetch(`http://x${path}`, {
      headers: { upgrade: "websocket", "cf-connecting-ip": randomClientIp() },
    });
    if (res.status !== 101 || !res.webSocket) throw new Error(`no upgrade: ${res.status} ${await res.text()}`);
    return new TestSocket(res.webSocket);
  }

  /** Opens, authenticates and waits for the confirmation. */
  static async authed(token: string, path?: string): Promise<TestSocket> {
    const s = await TestSocket.open(path);
    s.send({ action: "auth", token });
    await s.waitFor((f) => f.T === "success" && f.msg === "authenticated");
    return s;
  }

  send(msg: unknown): void {
    this.ws.send(JSON.stringify(msg));
  }

  #wake(): void {
    for (const w of this.#waiters.splice(0)) w();
  }

  /** The first frame (from `from` on) matching, waiting up to `ms`. */
  async waitFor(match: (f: any) => boolean, ms = 5_000, from = 0): Promise<any> {
    const deadline = Date.now() + ms;
    for (;;) {
      const hit = this.frames.slice(from).find(match);
      if (hit) return hit;
      if (this.closed) throw new Error(`closed ${JSON.stringify(this.closed)} before a match; frames ${JSON.stringify(this.frames)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame in ${ms} ms; frames ${JSON.stringify(this.frames)}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  async waitClosed(ms = 10_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + ms;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error("not closed");
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.#waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.closed;
  }

  trades(symbol: string): any[] {
    return this.frames.filter((f) => f.T === "t" && f.S === symbol);
  }
}
