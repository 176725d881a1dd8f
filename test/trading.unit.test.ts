/**
 * The order rules of paper trading, each against a case computed by hand:
 * what a request may ask, when a limit crosses, what each fill costs (one
 * rounding per order, not per fill) and what a resting buy holds.
 */
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { describe, expect, it } from "vitest";
import { PRICE_SCALE, QTY_SCALE } from "../src/domain/market/decimal";
import { type SymbolSpec, symbolSpec } from "../src/domain/market/symbols";
import { type OrderRequest, draftOrder } from "../src/domain/trading/order-draft";
import { avgFillPrice, crosses, fillOrder, initialHold, qtyForNotional, remainingQty } from "../src/domain/trading/execution";
import { cancelOrder, expireOrder, newOrder } from "../src/domain/trading/lifecycle";
import type { Order, OrderDraft } from "../src/domain/trading/orders";

const AAPL = symbolSpec("AAPL") as SymbolSpec;
const BRK = symbolSpec("BRK.B") as SymbolSpec;
const AT = "2026-12-02T15:00:00.000Z";
const shares = (n: number) => Math.round(n * QTY_SCALE);
const usd = (n: number) => Math.round(n * PRICE_SCALE);

function req(over: Partial<OrderRequest>): OrderRequest {
  return { symbol: "AAPL", side: "buy", type: "market", time_in_force: "day", qty: "1", client_order_id: "c-1", ...over };
}

function draft(over: Partial<OrderDraft>): OrderDraft {
  return {
    symbol: "AAPL",
    side: "buy",
    type: "limit",
    timeInForce: "gtc",
    qty: shares(1),
    notional: null,
    limitPrice: usd(10),
    clientOrderId: "c-1",
    ...over,
  };
}

describe("order requests", () => {
  it("parses qty, notional and limit price to scaled integers", () => {
    expect(draftOrder(req({ qty: "1.5" }), AAPL, 2)).toMatchObject({ ok: true, draft: { qty: 1_500_000_000, notional: null } });
    expect(draftOrder(req({ qty: undefined, notional: "100.05" }), AAPL, 2)).toMatchObject({
      ok: true,
      draft: { qty: null, notional: 10_005 },
    });
    expect(draftOrder(req({ type: "limit", limit_price: "187.12", time_in_force: "gtc" }), AAPL, 2)).toMatchObject({
      ok: true,
      draft: { limitPrice: 18_712_000_000 },
    });
  });

  it("refuses what Alpaca refuses, naming the field", () => {
    const refused = (r: Partial<OrderRequest>, spec = AAPL) => {
      const v = draftOrder(req(r), spec, 2);
      return v.ok ? null : v.field;
    };
    expect(refused({ notional: "10" })).toBe("qty"); // both
    expect(refused({ qty: undefined })).toBe("qty"); // neither
    expect(refused({ qty: "0" })).toBe("qty");
    expect(refused({ qty: "-1" })).toBe("qty");
    expect(refused({ qty: "1e3" })).toBe("qty");
    expect(refused({ qty: "0.0000000001" })).toBe("qty"); // 10 places
    expect(refused({ qty: "1.5", symbol: "BRK.B" }, BRK)).toBe("qty"); // not fractionable
    expect(refused({ qty: "2", symbol: "BRK.B" }, BRK)).toBeNull();
    expect(refused({ qty: "1000001" })).toBe("qty");
    expect(refused({ qty: undefined, notional: "10.001" })).toBe("notional");
    expect(refused({ qty: undefined, notional: "10", symbol: "BRK.B" }, BRK)).toBe("notional");
    expect(refused({ qty: undefined, notional: "10", type: "limit", limit_price: "1" })).toBe("notional");
    expect(refused({ qty: undefined, notional: "10", time_in_force: "gtc" })).toBe("time_in_force");
    expect(refused({ type: "limit" })).toBe("limit_price");
    expect(refused({ type: "limit", limit_price: "187.123" })).toBe("limit_price");
    expect(refused({ type: "limit", limit_price: "0" })).toBe("limit_price");
    expect(refused({ limit_price: "10" })).toBe("limit_price"); // market with a limit
  });
});

describe("execution", () => {
  it("crosses a buy limit at or below it and a sell limit at or above it", () => {
    const buy = draft({});
    expect(crosses(buy, usd(10))).toBe(true);
    expect(crosses(buy, usd(10.01))).toBe(false);
    const sell = draft({ side: "sell" });
    expect(crosses(sell, usd(9.99))).toBe(false);
    expect(crosses(sell, usd(10))).toBe(true);
    expect(crosses(draft({ type: "market", limitPrice: null }), usd(1_000))).toBe(true);
  });

  it("buys with a notional the most shares it pays for, never more than the notional", () => {
    // $100 at $187.12 = 0.534416417… shares; 0.534416417 × 187.12 = 99.99999995… → 10,000 cents.
    const qty = qtyForNotional(10_000, usd(187.12), 2);
    expect(qty).toBe(534_416_417);
    const order = newOrder("o1", draft({ type: "market", timeInForce: "day", qty, limitPrice: null }), 2, AT);
    expect(fillOrder(order, qty, usd(187.12), 2, AT)?.fill.cash).toBe(10_000);
  });

  it("rounds an order's cash once over its partial fills", () => {
    // 1 share at $0.05 in fills of 0.3, 0.3, 0.4: per fill ceil(1.5¢)+ceil(1.5¢)+ceil(2¢) would be 6¢;
    // the order pays ceil(5¢) = 5¢ in all: 2, then 1, then 2.
    let buy = newOrder("b", draft({ limitPrice: usd(0.05) }), 2, AT);
    expect(buy.hold).toBe(5);
    const paid: number[] = [];
    for (const q of [0.3, 0.3, 0.4]) {
      const out = fillOrder(buy, shares(q), usd(0.05), 2, AT);
      if (!out) throw new Error("expected a fill");
      paid.push(out.fill.cash);
      buy = out.order;
    }
    expect(paid).toEqual([2, 1, 2]);
    expect(buy).toMatchObject({ status: "filled", filledQty: shares(1), filledCash: 5, hold: 0 });
    // A sell rounds down: floor(1.5¢) = 1, floor(3¢) − 1 = 2, floor(5¢) − 3 = 2.
    let sell = newOrder("s", draft({ side: "sell", limitPrice: usd(0.05) }), 2, AT);
    expect(sell.hold).toBe(0);
    const got: number[] = [];
    for (const q of [0.3, 0.3, 0.4]) {
      const out = fillOrder(sell, shares(q), usd(0.05), 2, AT);
      if (!out) throw new Error("expected a fill");
      got.push(out.fill.cash);
      sell = out.order;
    }
    expect(got).toEqual([1, 2, 2]);
  });

  it("keeps a resting buy's hold covering the rest and releases what a better price saved", () => {
    // 1 share limit $10.01: hold 1001¢. Half at $10.01 pays ceil(500.5¢) = 501¢, hold 1001 − 501 = 500¢.
    const order = newOrder("b", draft({ limitPrice: usd(10.01) }), 2, AT);
    expect(initialHold(order, 2)).toBe(1_001);
    const first = fillOrder(order, shares(0.5), usd(10.01), 2, AT);
    expect(first?.fill).toEqual({ qty: shares(0.5), price: usd(10.01), cash: 501, holdReleased: 501 });
    expect(first?.order).toMatchObject({ status: "partially_filled", hold: 500 });
    // The rest at $10.00: total ceil(1000.5¢) = 1001, so 500¢ more; the hold (500) is released.
    const second = fillOrder(first!.order, shares(1), usd(10), 2, AT);
    expect(second?.fill).toEqual({ qty: shares(0.5), price: usd(10), cash: 500, holdReleased: 500 });
    expect(avgFillPrice(second!.order)).toBe(usd(10.005));
    // Nothing fills above the limit, nor after it is filled.
    expect(fillOrder(first!.order, shares(0.5), usd(10.02), 2, AT)).toBeNull();
    expect(fillOrder(second!.order, shares(0.5), usd(10), 2, AT)).toBeNull();
  });

  it("never pays more than it held, whatever the fills (seeded random orders)", () => {
    const rng = xoroshiro128plus(20261202);
    const next = (lo: number, hi: number) => {
      return uniformInt(rng, lo, hi);
    };
    for (let i = 0; i < 500; i++) {
      const limit = next(1, 100_000) * 1_000_000; // $0.01 … $1,000.00
      let order: Order = newOrder("b", draft({ qty: next(1, 50 * QTY_SCALE), limitPrice: limit }), 2, AT);
      const reserved = order.hold;
      let paid = 0;
      while (remainingQty(order) > 0) {
        const out = fillOrder(order, next(1, remainingQty(order)), next(1, limit / 1_000_000) * 1_000_000, 2, AT);
        if (!out) throw new Error("a crossing price must fill");
        expect(out.fill.cash).toBeLessThanOrEqual(order.hold);
        expect(out.order.hold).toBeGreaterThanOrEqual(0);
        paid += out.fill.cash;
        order = out.order;
      }
      expect(paid).toBe(order.filledCash);
      expect(paid).toBeLessThanOrEqual(reserved);
    }
  });
});

describe("lifecycle", () => {
  it("cancels an open order releasing its hold, and refuses to cancel a closed one", () => {
    const order = newOrder("b", draft({ limitPrice: usd(10) }), 2, AT);
    const partial = fillOrder(order, shares(0.25), usd(10), 2, AT)!.order;
    const canceled = cancelOrder(partial, AT);
    expect(canceled).toMatchObject({ ok: true, holdReleased: 750, order: { status: "canceled", hold: 0 } });
    if (!canceled.ok) throw new Error("unreachable");
    expect(cancelOrder(canceled.order, AT)).toEqual({ ok: false, status: "canceled" });
    const filled = fillOrder(order, shares(1), usd(10), 2, AT)!.order;
    expect(cancelOrder(filled, AT)).toEqual({ ok: false, status: "filled" });
  });

  it("expires a day order at the close and cancels an ioc order's rest", () => {
    expect(expireOrder(newOrder("d", draft({ timeInForce: "day" }), 2, AT), AT)).toMatchObject({ order: { status: "expired" } });
    expect(expireOrder(newOrder("i", draft({ timeInForce: "ioc" }), 2, AT), AT)).toMatchObject({ order: { status: "canceled" } });
  });
});
