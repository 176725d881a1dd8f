/**
 * Small pieces the e2e tests share on top of scripts/lib/api.mjs: a typed
 * client, polling, retrying a money request with its Idempotency-Key until it
 * has a verdict, and reading a whole paginated transaction list. Public API only.
 */
import { createApi } from "../../../scripts/lib/api.mjs";
import { sleep } from "../../../scripts/lib/stack.mjs";

export type Api = ReturnType<typeof createApi>;
export type ApiReply = Awaited<ReturnType<Api["request"]>>;

export interface Transaction {
  id: string;
  seq: number;
  kind: string;
  direction: "credit" | "debit";
  amount: number;
  balance_after: number;
  transfer_id: string | null;
  counterparty: string;
  occurred_at: string;
  description: string | null;
  merchant: string | null;
  category: string | null;
}

export interface MoneyRequest {
  key: string;
  path: string;
  body?: Record<string, unknown>;
  token: string;
}

export { createApi, sleep };

/** Poll until `probe` returns something truthy. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`${what}: not met within ${timeoutMs / 1000} s`);
    await sleep(everyMs);
  }
}

/**
 * A reply is a verdict unless the server could not be reached, failed (5xx),
 * or says the key's first request is still running (409 idempotency_in_progress).
 */
export function isVerdict(r: ApiReply): boolean {
  return r.status < 500 && !(r.status === 409 && r.body?.error?.code === "idempotency_in_progress");
}

/** Send (again) with the same key and body until the answer is a verdict; network errors and 5xx are retried. */
export async function sendUntilVerdict(api: Api, req: MoneyRequest, timeoutMs = 60_000): Promise<ApiReply> {
  const deadline = Date.now() + timeoutMs;
  let last = "no reply";
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await api.request("POST", req.path, { token: req.token, key: req.key, body: req.body });
      if (isVerdict(r)) return r;
      last = `${r.status} ${r.body?.error?.code ?? ""}`;
    } catch (err) {
      last = String(err);
    }
    if (Date.now() > deadline) throw new Error(`no verdict for ${req.key} within ${timeoutMs / 1000} s (last: ${last})`);
    await sleep(Math.min(1_000, 50 * 2 ** attempt));
  }
}

/** Every journal entry of an account, oldest first, through the cursor-paginated list. */
export async function allTransactions(api: Api, accountId: string, token: string): Promise<Transaction[]> {
  const out: Transaction[] = [];
  let cursor: string | null = null;
  do {
    const page = await api.get(`/v1/accounts/${accountId}/transactions?limit=200${cursor ? `&cursor=${cursor}` : ""}`, token);
    out.push(...(page.data as Transaction[]));
    cursor = page.has_more ? page.next_cursor : null;
  } while (cursor);
  return out.reverse();
}

/** Map with at most `limit` calls in flight, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}
