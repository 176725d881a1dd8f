/** Helpers for money tests: open accounts and post transactions through the public API. */
import { api, registerUser } from "./auth";

export type User = Awaited<ReturnType<typeof registerUser>>;

export function key(): string {
  return `k-${crypto.randomUUID()}`;
}

export async function openAccount(u: User, body: Record<string, unknown> = { type: "checking", name: "Everyday" }): Promise<string> {
  const res = await api("POST", "/v1/accounts", { token: u.access_token, body });
  if (res.status !== 201) throw new Error(`openAccount: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export async function postTx(u: User, accountId: string, body: Record<string, unknown>, idemKey = key()) {
  return api("POST", `/v1/accounts/${accountId}/transactions`, { token: u.access_token, body, headers: { "idempotency-key": idemKey } });
}

export async function deposit(u: User, accountId: string, amount: number) {
  const res = await postTx(u, accountId, { kind: "deposit", amount });
  if (res.status !== 201) throw new Error(`deposit: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function transfer(u: User, body: Record<string, unknown>, idemKey = key()) {
  return api("POST", "/v1/transfers", { token: u.access_token, body, headers: { "idempotency-key": idemKey } });
}

export async function balanceOf(u: User, accountId: string): Promise<{ posted: number; pending: number; available: number }> {
  const res = await api("GET", `/v1/accounts/${accountId}`, { token: u.access_token });
  if (res.status !== 200) throw new Error(`balanceOf: ${res.status}`);
  return res.body.balance;
}

export interface ListedEntry {
  id: string;
  seq: number;
  kind: string;
  amount: number;
  direction: "credit" | "debit";
  balance_after: number;
  transfer_id: string | null;
  reverses: string | null;
}

/** Every journal entry of an account, newest first, following the cursor across pages (a small page size exercises the cursor). */
export async function allEntries(u: User, accountId: string, pageSize = 200): Promise<ListedEntry[]> {
  const out: ListedEntry[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages === 0 || cursor; pages++) {
    if (pages >= 1_000) throw new Error("allEntries: the cursor never ended");
    const res = await api(
      "GET",
      `/v1/accounts/${accountId}/transactions?limit=${pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      { token: u.access_token },
    );
    if (res.status !== 200) throw new Error(`allEntries: ${res.status}`);
    out.push(...res.body.data);
    cursor = res.body.next_cursor;
  }
  return out;
}

export { api, registerUser };
