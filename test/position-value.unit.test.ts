/**
 * The web's live revaluation of a position (web/src/lib/position-value.ts)
 * against the API's own view (durable/account/order-views.ts positionView):
 * for hand-picked half-even ties, losses, zero basis, a 0-digit and a
 * 3-digit currency, and a seeded sweep of fractional quantities and prices,
 * the web's current_price, market_value, unrealized_pl and unrealized_plpc
 * are exactly the strings the API sends at that price.
 */
import { describe, expect, it } from "vitest";
import { positionView } from "../durable/account/order-views";
import { formatScaled, PRICE_DECIMALS, PRICE_SCALE } from "../src/domain/market/decimal";
import { valueAt } from "../web/src/lib/position-value";

const MINOR: Record<string, number> = { USD: 2, JPY: 0, KWD: 3 };

function check(qty: number, costBasis: number, price: number, currency: string) {
  const row = { symbol: "AAPL", qty, cost_basis: costBasis, realized_pl: 0, updated_at: "2026-01-01T00:00:00Z" };
  const api = positionView(row, price, MINOR[currency]!);
  // The web starts from the position as the API sent it at another price, then the streamed price arrives as a string.
  const stale = positionView(row, PRICE_SCALE, MINOR[currency]!);
  const web = valueAt(stale, formatScaled(price, PRICE_DECIMALS), currency);
  expect(web, `${qty} @ ${price} basis ${costBasis} ${currency}`).toEqual(api);
}

describe("live position value on the web", () => {
  it("equals the API's valuation on hand-picked cases", () => {
    check(2_000_000_000, 19_850, 9_925_000_000, "USD"); // 2 @ 99.25 → 198.50, no P/L
    check(1_500_000_000, 10_000, 6_666_666_667, "USD"); // 1.5 @ 66.66666667 = 100.000000005 → 100.00 (half-even)
    check(500_000_000, 1, 1_000_000, "USD"); // 0.5 @ 0.01 = 0.005 → 0.00 (tie to even), P/L −0.01
    check(1_500_000_000, 1, 1_000_000, "USD"); // 1.5 @ 0.01 = 0.015 → 0.02 (tie to even)
    check(3_000_000_000, 30_000, 8_123_456_789, "USD"); // a loss, plpc negative
    check(1_000_000_000, 0, 10_000_000_000, "USD"); // zero basis: plpc null
    check(7_000_000_000, 1_000, 15_012_345_678, "JPY");
    check(123_456_789, 12_345, 1_234_567_890_123, "KWD");
  });

  it("equals the API's valuation on a seeded sweep", () => {
    let seed = 42;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 2_000; i++) {
      const qty = 1 + rand(50_000) * 1_000_000 + rand(1_000_000);
      const price = 1 + rand(1_000_000) * 1_000 + rand(1_000);
      const currency = ["USD", "JPY", "KWD"][rand(3)]!;
      check(qty, rand(10_000_000), price, currency);
    }
  });
});
