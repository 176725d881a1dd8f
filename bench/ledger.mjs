/**
 * Issue 2's scenarios: the platform floor (GET /health), deposits to one hot
 * account, and immediate transfers among many accounts; each money scenario
 * ends by settling its unanswered requests and checking the books through the
 * public API (exact balance, conservation, hash chains, no negative balance).
 */
import { createLoad } from "./load.mjs";
import { mapLimit, sleep } from "./util.mjs";

const FUNDING = 1_000_000; // cents per transfer account: far above what random 1–50.00 transfers can drain
const DEPOSIT_AMOUNT = 100;

/** Users and accounts the scenarios need, created through the API. */
export async function setupLedger(api, cfg, runId) {
  const hotUser = await api.session(`bench-hot-${runId}@finedge.bench`, "bench-password-2026", "Bench Hot");
  const hot = await api.post("/v1/accounts", { type: "checking", name: "Hot account" }, hotUser.access_token);

  // The API caps accounts per user; open them under as many users as that takes.
  const accounts = [];
  let user = null;
  let userNo = 0;
  while (accounts.length < cfg.accounts) {
    if (!user) user = await api.session(`bench-xfer-${runId}-${userNo++}@finedge.bench`, "bench-password-2026", "Bench Transfers");
    const r = await api.request("POST", "/v1/accounts", {
      token: user.access_token,
      body: { type: "checking", name: `Transfer ${accounts.length}` },
    });
    if (r.status === 201) accounts.push({ id: r.body.id, token: user.access_token });
    else if (r.status === 422 && userNo < cfg.accounts) user = null;
    else throw new Error(`opening transfer account: ${r.status} ${JSON.stringify(r.body)}`);
  }
  await mapLimit(accounts, 8, (a, i) =>
    api.post(
      `/v1/accounts/${a.id}/transactions`,
      { kind: "deposit", amount: FUNDING, description: "bench funding" },
      a.token,
      `fund-${runId}-${i}`,
    ),
  );
  return {
    hot: { id: hot.id, token: hotUser.access_token },
    accounts,
    users: userNo,
    initialTotal: accounts.length * FUNDING,
  };
}

/*
 * A scenario is `{ load, before?(), after?() }`: the runner calls every
 * `before`, interleaves slices of every `load`, then calls every `after`
 * (settle, check) and merges its fields into the load's summary.
 */

export function floorScenario() {
  return { load: createLoad({ title: "floor", next: () => ({ method: "GET", path: "/health" }) }) };
}

/** Diagnostic: JWT verification and a Durable Object read, without a write (GET the hot account). */
export function readScenario(setup) {
  const { id, token } = setup.hot;
  const headers = { authorization: `Bearer ${token}` };
  return { load: createLoad({ title: "read", next: () => ({ method: "GET", path: `/v1/accounts/${id}`, headers }) }) };
}

export function depositsScenario(api, setup, runId) {
  const { id, token } = setup.hot;
  const path = `/v1/accounts/${id}/transactions`;
  const body = JSON.stringify({ kind: "deposit", amount: DEPOSIT_AMOUNT, description: "bench deposit" });
  const accepted = new Set();
  const rejected = new Map();
  let before = 0;
  let n = 0;
  const load = createLoad({
    title: "deposits",
    next: () => {
      const key = `dep-${runId}-${n++}`;
      return { id: key, method: "POST", path, body, headers: jsonHeaders(token, key) };
    },
    onStatus: (key, status) => (status === 201 ? accepted.add(key) : rejected.set(key, status)),
  });
  return {
    load,
    async before() {
      before = (await api.get(`/v1/accounts/${id}`, token)).balance.posted;
    },
    async after(summary) {
      // Whatever was cut off mid-flight (or failed without a verdict) is re-sent with its key: the stored reply, or a first apply.
      const retry = [...summary.unanswered.map((r) => r.id), ...[...rejected].filter(([, s]) => s >= 500 || s === 409).map(([k]) => k)];
      const settled = await resend(
        api,
        retry.map((key) => ({ key, path, body, token })),
      );
      for (const s of settled) if (s.status === 201) accepted.add(s.key);
      const after = await api.get(`/v1/accounts/${id}`, token);
      const expected = before + accepted.size * DEPOSIT_AMOUNT;
      const verify = await api.get(`/v1/accounts/${id}/verify`, token);
      return {
        accepted: accepted.size,
        resent: retry.length,
        checks: [
          check(
            "hot balance = Σ accepted deposits",
            after.balance.posted === expected,
            `posted ${after.balance.posted}, expected ${expected} (${accepted.size} × ${DEPOSIT_AMOUNT} + ${before}); ${retry.length} re-sent after the run`,
          ),
          check("hot account hash chain verifies", verify.ok === true, `${verify.entries} entries`),
        ],
      };
    },
  };
}

export function transfersScenario(api, setup, runId) {
  const { accounts } = setup;
  const sent = new Map();
  const outcome = new Map();
  let totalBefore = 0;
  let n = 0;
  const load = createLoad({
    title: "transfers",
    next: () => {
      const i = Math.floor(Math.random() * accounts.length);
      let j = Math.floor(Math.random() * (accounts.length - 1));
      if (j >= i) j++;
      const key = `trf-${runId}-${n++}`;
      const body = JSON.stringify({
        from_account_id: accounts[i].id,
        to_account_id: accounts[j].id,
        amount: 1 + Math.floor(Math.random() * 5_000),
        mode: "immediate",
      });
      sent.set(key, { body, token: accounts[i].token });
      return { id: key, method: "POST", path: "/v1/transfers", body, headers: jsonHeaders(accounts[i].token, key) };
    },
    onStatus: (key, status) => {
      outcome.set(key, status);
      if (status === 201 || status === 202) sent.delete(key); // done, or finished by the source's alarm
    },
  });
  return {
    load,
    async before() {
      totalBefore = await totalPosted(api, accounts);
    },
    async after(summary) {
      const retry = [...sent].filter(([key]) => !outcome.has(key) || outcome.get(key) >= 500 || outcome.get(key) === 409);
      const settled = await resend(
        api,
        retry.map(([key, r]) => ({ key, path: "/v1/transfers", body: r.body, token: r.token })),
      );
      const inFlightLeft = await waitNothingInFlight(api, accounts, 30_000);
      const totalAfter = await totalPosted(api, accounts);
      const balances = await mapLimit(accounts, 8, (a) => api.get(`/v1/accounts/${a.id}`, a.token));
      const negative = balances.filter((b) => b.balance.posted < 0 || b.balance.available < 0).length;
      const chains = await mapLimit(accounts, 8, (a) => api.get(`/v1/accounts/${a.id}/verify`, a.token));
      const broken = chains.filter((v) => !v.ok).length;
      return {
        accounts: accounts.length,
        users: setup.users,
        in_flight_202: summary.statuses[202] ?? 0,
        resent: retry.length,
        resent_statuses: countBy(settled.map((s) => s.status)),
        checks: [
          check(
            "Σ posted unchanged by transfers",
            totalAfter === totalBefore && inFlightLeft === 0,
            `before ${totalBefore}, after ${totalAfter}, still pending ${inFlightLeft}; ${retry.length} re-sent after the run`,
          ),
          check("no account below its floor", negative === 0, `${negative} negative of ${accounts.length}`),
          check("transfer accounts' hash chains verify", broken === 0, `${broken} broken of ${accounts.length}`),
        ],
      };
    },
  };
}

/** Re-send each request with its own Idempotency-Key until it has a verdict (409 = the first is still running). */
async function resend(api, items) {
  return mapLimit(items, 4, async ({ key, path, body, token }) => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const r = await api.request("POST", path, { token, key, headers: { "content-type": "application/json" }, raw: body });
      if (r.status !== 409 && r.status < 500) return { key, status: r.status };
      await sleep(500);
    }
    return { key, status: 0 };
  });
}

async function totalPosted(api, accounts) {
  const rows = await mapLimit(accounts, 8, (a) => api.get(`/v1/accounts/${a.id}`, a.token));
  return rows.reduce((s, a) => s + a.balance.posted, 0);
}

/** Immediate transfers leave holds only while in flight; wait for the sources' alarms to finish them. */
async function waitNothingInFlight(api, accounts, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await mapLimit(accounts, 8, (a) => api.get(`/v1/accounts/${a.id}`, a.token));
    const pending = rows.reduce((s, a) => s + a.balance.pending, 0);
    if (pending === 0 || Date.now() > deadline) return pending;
    await sleep(1_000);
  }
}

export function jsonHeaders(token, key) {
  return { "content-type": "application/json", authorization: `Bearer ${token}`, "idempotency-key": key };
}

export function check(name, ok, detail) {
  return { name, ok: Boolean(ok), detail };
}

function countBy(values) {
  const out = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
