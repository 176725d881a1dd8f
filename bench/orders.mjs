/**
 * Issue 10's market-order scenario: market buys on one brokerage account (the
 * hot user's), a fresh client_order_id each, at one fixed price (an admin tick
 * before the load; nothing listens, so the simulator stays off and every fill
 * costs the same). Judged as req/s against hot-account deposits in the same
 * run (target ≥ 0.5×). Afterwards, through the API: the position is exactly
 * Σ accepted × qty, the cash is exactly the funding minus Σ accepted × the
 * cost of one fill, and the account's hash chain verifies.
 */
import { createLoad } from "./load.mjs";
import { check } from "./ledger.mjs";

const SYMBOL = "ETH-USD"; // crypto: its market never closes, whatever the calendar
const PRICE = 1_000; // dollars per unit, posted by the admin before the load
const QTY = "0.001"; // $1.00 a fill
const FUNDING = 10_000_000_00; // cents: far more than any run can spend

export function ordersScenario(api, setup, runId, admin) {
  const { token } = setup.hot;
  let id = null;
  let path = "";
  const accepted = new Set();
  const refused = new Map();
  let n = 0;
  const load = createLoad({
    title: "orders",
    next: () => {
      const cid = `ord-${runId}-${n++}`;
      const body = JSON.stringify({ symbol: SYMBOL, side: "buy", type: "market", qty: QTY, time_in_force: "day", client_order_id: cid });
      return { id: cid, method: "POST", path, body, headers: { "content-type": "application/json", authorization: `Bearer ${token}` } };
    },
    onStatus: (cid, status) => (status === 201 ? accepted.add(cid) : refused.set(cid, status)),
  });
  return {
    load,
    async before() {
      const acct = await api.post("/v1/accounts", { type: "brokerage", name: "Bench brokerage" }, token);
      id = acct.id;
      path = `/v1/accounts/${id}/orders`;
      await api.post(
        `/v1/accounts/${id}/transactions`,
        { kind: "deposit", amount: FUNDING, description: "bench funding" },
        token,
        `fund-${runId}-brokerage`,
      );
      await api.post("/v1/market/ticks", { ticks: [{ symbol: SYMBOL, price: PRICE, t: Date.now() }] }, admin.access_token);
    },
    async after() {
      // Orders cut off mid-flight are sent again with their client_order_id: the original order, or a first fill.
      for (const r of [...load.summary().unanswered, ...[...refused].filter(([, s]) => s >= 500).map(([cid]) => ({ id: cid }))]) {
        const body = { symbol: SYMBOL, side: "buy", type: "market", qty: QTY, time_in_force: "day", client_order_id: r.id };
        const res = await api.request("POST", path, { token, body });
        if (res.status === 200 || res.status === 201) accepted.add(r.id);
      }
      const account = await api.get(`/v1/accounts/${id}`, token);
      const positions = await api.get(`/v1/accounts/${id}/positions`, token);
      const verify = await api.get(`/v1/accounts/${id}/verify`, token);
      const held = positions.data.find((p) => p.symbol === SYMBOL);
      const expectedQty = scaled(QTY) * BigInt(accepted.size);
      const cost = PRICE * 100 * Number(QTY); // cents per fill, exact here ($1.00)
      return {
        accepted: accepted.size,
        checks: [
          check(
            "brokerage position = Σ accepted orders",
            held !== undefined && scaled(held.qty) === expectedQty,
            `${held?.qty ?? "none"} held, ${accepted.size} × ${QTY} accepted`,
          ),
          check(
            "brokerage cash = funding − Σ fills",
            account.balance.posted === FUNDING - accepted.size * cost,
            `posted ${account.balance.posted}, expected ${FUNDING - accepted.size * cost}`,
          ),
          check("brokerage hash chain verifies", verify.ok === true, `${verify.entries} entries`),
        ],
      };
    },
  };
}

/** A decimal string at 9 places, as a BigInt. */
function scaled(d) {
  const [i, f = ""] = d.split(".");
  return BigInt(i) * 10n ** 9n + BigInt((f + "000000000").slice(0, 9));
}
