/**
 * The CPU cost per event of the intelligence work the EVENTS consumer adds
 * (issue 12): classifying a posted entry (merchant normalizer + taxonomy,
 * done for every transaction in `prepareEvents`) and scoring it against a
 * user's history (queues/anomalies.ts, HISTORY_ROWS at most), without and
 * with the "subscription price increase" input the consumer computes per
 * event (the recurring detector over the merchant's earlier charges). Pure in-process
 * timings of the cores with synthetic histories, no D1 round trips: the
 * consumer's D1 costs (one history read per user per batch, one insert) are
 * not measured here. The last scenario per size is the consumer's path: one
 * prepared history per batch (score-event.ts), 40 events scored against it;
 * its ms_per_event is per batch of 40 (divide by 40 for one event).
 * Run: `npm run bench:intel` (a few seconds).
 *   BENCH_INTEL_HISTORY=1000,2000,5000   history sizes to score against
 */
import { scoreTransaction } from "../src/domain/intel/anomaly";
import { prepareHistory, scorePrepared } from "../src/domain/intel/score-event";
import { subscriptionPriceIncrease } from "../src/domain/intel/subscription-increase";
import { classifyTransaction } from "../src/domain/intel/taxonomy";
import type { IntelTransaction } from "../src/domain/intel/types";
import { compileRules } from "../src/pipeline/enrich";

const MERCHANTS = ["SQ *BLUE BOTTLE #12", "AMZN Mktp US*2K4L19", "TRADER JOE'S #552", "Netflix.com", "SHELL OIL 5741", "Cafe Luna"];
const RULES = compileRules([
  {
    id: "mr_amazon",
    priority: 100,
    field: "merchant",
    pattern: "^(amzn|amazon)(\\s*mktp|\\.com)?\\b",
    merchant: "Amazon",
    category: "shopping",
  },
  { id: "mr_netflix", priority: 160, field: "merchant", pattern: "^netflix", merchant: "Netflix", category: "entertainment" },
  { id: "mr_trader_joes", priority: 240, field: "merchant", pattern: "^trader\\s*joe", merchant: "Trader Joe's", category: "groceries" },
  { id: "mr_shell", priority: 250, field: "merchant", pattern: "^shell\\b", merchant: "Shell", category: "fuel" },
  { id: "mr_cafe", priority: 900, field: "merchant", pattern: "(cafe|coffee)", merchant: null, category: "dining" },
]);

function history(n: number): (IntelTransaction & { merchant_key: string })[] {
  const start = Date.parse("2026-06-01T00:00:00Z");
  return Array.from({ length: n }, (_, i) => {
    const merchant = MERCHANTS[i % MERCHANTS.length]!;
    return {
      id: `txn_${String(i).padStart(8, "0")}`,
      account_id: "acc_1",
      user_id: "usr_1",
      occurred_at: new Date(start + i * 3_600_000 * 3).toISOString(),
      amount: 500 + ((i * 7919) % 5000),
      direction: "debit" as const,
      currency: "USD",
      merchant,
      description: null,
      category: "shopping",
      merchant_key: merchant.toLowerCase().replace(/[^a-z]+/g, "-"),
    };
  });
}

function time(label: string, runs: number, fn: () => void) {
  for (let i = 0; i < Math.min(runs, 50); i++) fn(); // warm up
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  const ms = (performance.now() - t0) / runs;
  console.log(JSON.stringify({ scenario: label, runs, ms_per_event: Number(ms.toFixed(4)), events_per_s: Math.round(1000 / ms) }));
}

const sizes = (process.env.BENCH_INTEL_HISTORY ?? "1000,2000,5000").split(",").map(Number);
let k = 0;
time("classify (normalizer + taxonomy)", 20_000, () => {
  classifyTransaction({ kind: "purchase", merchant: MERCHANTS[k++ % MERCHANTS.length]!, description: null, category: null }, RULES);
});
for (const n of sizes) {
  const h = history(n);
  const event = { ...h[h.length - 1]!, id: "txn_event", amount: 99_000 };
  time(`score against ${n} rows`, n >= 5000 ? 200 : 1000, () => {
    scoreTransaction({ event, history: h, merchantKey: (t) => (t as { merchant_key: string }).merchant_key });
  });
  // As queues/anomalies.ts scoreUser does it for each event.
  time(`score + price-increase input against ${n} rows`, n >= 5000 ? 50 : 200, () => {
    const merchantKey = (t: IntelTransaction) => (t as { merchant_key: string }).merchant_key;
    const increase = subscriptionPriceIncrease(event, h, merchantKey);
    scoreTransaction({ event, history: h, merchantKey, subscription_price_increase: increase });
  });
  // As queues/anomalies.ts scores a batch since the prepared history: one prepareHistory per user
  // and batch (charged to the batch), then scorePrepared per event; a batch of 40 of the newest rows.
  const batch = h.slice(-40);
  time(`consumer path (prepared history, batch of 40) against ${n} rows`, n >= 5000 ? 10 : 40, () => {
    const prepared = prepareHistory(h, (t) => (t as { merchant_key: string }).merchant_key);
    for (const e of batch) scorePrepared(e, prepared);
  });
}
