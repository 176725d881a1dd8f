/** Helpers for payment tests: payees and payments through the public API, and waiting for a status. */
import { api, key, type User } from "./ledger";

export async function addPayee(u: User, accountRef = "DE89370400440532013000", name = "Landlord"): Promise<string> {
  const res = await api("POST", "/v1/payees", { token: u.access_token, body: { name, account_ref: accountRef } });
  if (res.status !== 201) throw new Error(`addPayee: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export async function pay(u: User, body: Record<string, unknown>, idemKey = key()) {
  return api("POST", "/v1/payments", { token: u.access_token, body, headers: { "idempotency-key": idemKey } });
}

export async function getPayment(u: User, id: string) {
  return api("GET", `/v1/payments/${id}`, { token: u.access_token });
}

/** Polls until the payment reaches a final status (the real payments queue drives it), within a bound. */
export async function settled(u: User, id: string, timeoutMs = 15_000): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await getPayment(u, id);
    if (res.status !== 200) throw new Error(`settled: ${res.status}`);
    if (["success", "failed", "canceled"].includes(res.body.status as string)) return res.body;
    if (Date.now() > until) throw new Error(`settled: still ${res.body.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
