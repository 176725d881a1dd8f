/**
 * A webhook receiver on loopback for the e2e tests and the bench: a Node
 * HTTP server that records every request (path, headers, raw body, time)
 * and answers from a per-path script of statuses (the last one repeats).
 * `verify()` checks a request with the independent `standardwebhooks` package.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** "hang": never answer; "endless": answer, then stream 64 KiB chunks until the client goes away. */
  mode?: "hang" | "endless";
}

export async function startReceiver() {
  const received: Received[] = [];
  const scripts = new Map<string, Reply[]>();
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      received.push({ path, headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
      const script = scripts.get(path) ?? [];
      const reply = (script.length > 1 ? script.shift() : script[0]) ?? { status: 204 };
      if (reply.mode === "hang") return;
      res.writeHead(reply.status, reply.headers ?? {});
      if (reply.mode !== "endless") return void res.end();
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const timer = setInterval(() => res.write(chunk), 5);
      res.on("close", () => clearInterval(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    received,
    on: (path: string, replies: Reply[]) => scripts.set(path, [...replies]),
    at: (path: string) => received.filter((r) => r.path === path),
    stop: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

/** The verified envelope, or throws when the signature does not verify under this secret. */
export function verify(secret: string, r: Received): { id: string; type: string; timestamp: string; data: Record<string, unknown> } {
  return new Webhook(secret).verify(r.body, r.headers) as { id: string; type: string; timestamp: string; data: Record<string, unknown> };
}
