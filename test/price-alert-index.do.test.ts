/**
 * The level-indexed price alert rules in a real MarketDO's SQLite (Workers
 * runtime): 5,000 rules on one symbol, a walk of trades, and after each
 * trade the firings (in order) and every rule's state equal a brute-force
 * evaluation of the same rules with the pure domain function; a trade reads
 * only the rules it changes plus armed every_time rules held back by the
 * throttle. Also: schema V5 carries V4 rules over.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { type NewPriceAlert, PriceAlerts, type StoredPriceAlert } from "../durable/market/price-alerts";
import { MIGRATIONS } from "../durable/market/schema";
import { runMigrations } from "../durable/sqlite-migrations";
import { evaluateRule, type Frequency, levelHolds, PRICE_CONDITIONS, type PriceCondition } from "../src/domain/alerts/price-rules";
import { rng } from "./helpers/random";

const D = 1_000_000; // one cent at PRICE_SCALE
const market = (symbol: string) => env.MARKET.get(env.MARKET.idFromName(symbol));

interface Model {
  id: string;
  condition: PriceCondition;
  threshold: number;
  frequency: Frequency;
  expires_at: number | null;
  created_at: number;
  status: StoredPriceAlert["status"];
  armed: boolean;
  triggered_at: number | null;
  trigger_count: number;
}

function makeRules(n: number, t0: number, seed: number): NewPriceAlert[] {
  const r = rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const condition = PRICE_CONDITIONS[Math.floor(r() * PRICE_CONDITIONS.length)]!;
    const percent = condition.startsWith("percent");
    const threshold = percent ? 1 + Math.floor(r() * 400) : (9_700 + Math.floor(r() * 600)) * D;
    return {
      id: `pal_${String(i).padStart(20, "0")}`,
      user_id: `usr_${i % 97}`,
      condition,
      value: String(threshold),
      threshold,
      frequency: r() < 0.5 ? "once" : "every_time",
      expires_at: r() < 0.1 ? t0 + Math.floor(r() * 40) * 20_000 : null,
      created_at: t0 - n + i,
    };
  });
}

describe("price alerts indexed by level", () => {
  it("5,000 rules on one symbol: each trade fires exactly what a brute-force evaluation fires, reading only what it changes", async () => {
    const t0 = Date.UTC(2026, 11, 4, 15);
    const rules = makeRules(5_000, t0, 42);
    const model: Model[] = rules.map((x) => ({ ...x, status: "active", armed: true, triggered_at: null, trigger_count: 0 }));
    const r = rng(7);
    const visits: { visited: number; changed: number; active: number }[] = [];
    await runInDurableObject(market("IBM"), (_inst, state) => {
      const alerts = new PriceAlerts(state.storage.sql, "IBM");
      state.storage.transactionSync(() => {
        for (const x of rules) alerts.add(x);
      });
      let previous: number | null = null;
      let price = 100 * 100 * D;
      for (let k = 0; k < 60; k++) {
        // A walk of cents around 100.00 that passes many thresholds, sometimes staying put; the close changes mid-way.
        price += (Math.floor(r() * 41) - 20) * 5 * D;
        if (k % 7 === 3) price = previous ?? price;
        const trade = { price, t: t0 + k * 20_000, previous, previous_close: k < 30 ? 100 * 100 * D : k < 45 ? null : 99 * 100 * D };
        // The brute force: every active rule, in creation order, with the pure function.
        let changed = 0;
        let heldBack = 0;
        const expected: string[] = [];
        for (const m of model) if (m.status === "active" && m.expires_at !== null && m.expires_at <= trade.t) m.status = "expired";
        const active = model.filter((m) => m.status === "active").length;
        for (const m of model) {
          if (m.status !== "active") continue;
          const state = { ...m, last_fired_t: m.triggered_at };
          const v = evaluateRule(state, trade);
          const holds = levelHolds(m.condition, m.threshold, trade.price, trade.previous_close);
          if (m.frequency === "every_time" && m.armed && holds && !v.fires) heldBack++;
          if (v.fires) {
            expected.push(m.id);
            m.status = m.frequency === "once" ? "triggered" : "active";
            m.triggered_at = trade.t;
            m.trigger_count++;
          }
          if (v.fires || v.armed !== m.armed) changed++;
          m.armed = v.armed;
        }
        const fired = state.storage.transactionSync(() => alerts.evaluate(k + 1, trade));
        expect(
          fired.map((f) => f.rule.id),
          `trade ${k}`,
        ).toEqual(expected);
        expect(alerts.lastVisited).toBeGreaterThanOrEqual(changed);
        // Beyond the changed rules, only armed every_time rules at their level (throttled, or a crossing already past it).
        expect(alerts.lastVisited - changed).toBeLessThanOrEqual(heldBack);
        visits.push({ visited: alerts.lastVisited, changed, active });
        const rows = state.storage.sql
          .exec<{ id: string; status: string; armed: number; triggered_at: number | null; trigger_count: number }>(
            "SELECT id, status, armed, triggered_at, trigger_count FROM price_alerts WHERE id LIKE 'pal_0%' ORDER BY id",
          )
          .toArray()
          .map((x) => ({ ...x }));
        expect(rows, `trade ${k}`).toEqual(
          model.map((m) => ({
            id: m.id,
            status: m.status,
            // A triggered once rule is stored disarmed; an active one armed (schema V5).
            armed: m.armed ? 1 : 0,
            triggered_at: m.triggered_at,
            trigger_count: m.trigger_count,
          })),
        );
        previous = price;
      }
      // The plan reads the level index, not the table.
      const plan = state.storage.sql
        .exec<{ detail: string }>(
          "EXPLAIN QUERY PLAN SELECT * FROM price_alerts WHERE status = 'active' AND condition = ? AND armed = ? AND threshold BETWEEN ? AND ?",
          "greater_than",
          1,
          0,
          100,
        )
        .toArray()
        .map((x) => x.detail)
        .join(" ");
      expect(plan).toContain("price_alerts_level");
    });
    const totalFired = model.reduce((s, m) => s + m.trigger_count, 0);
    expect(totalFired).toBeGreaterThan(500);
    const visited = visits.reduce((s, v) => s + v.visited, 0);
    const scanned = visits.reduce((s, v) => s + v.active, 0);
    // The figure the README quotes: rules read per trade against a full scan of the active ones.
    console.log(
      JSON.stringify({
        trades: visits.length,
        rules: rules.length,
        visited_per_trade: visited / visits.length,
        changed_per_trade: visits.reduce((s, v) => s + v.changed, 0) / visits.length,
        active_per_trade_full_scan: scanned / visits.length,
        max_visited: Math.max(...visits.map((v) => v.visited)),
      }),
    );
    expect(visited).toBeLessThan(scanned / 5);
  });

  it("schema V5 carries V4 rules over: same rows, the level index added, an active once rule stored armed", async () => {
    await runInDurableObject(market("ORCL"), (_inst, state) => {
      const sql = state.storage.sql;
      const alerts = new PriceAlerts(sql, "ORCL");
      const t = Date.now();
      for (const x of makeRules(30, t, 9)) alerts.add(x);
      // Back to a V4 store: no V5 indexes, and an old once rule whose armed flag an old evaluation left at 0.
      sql.exec("DROP INDEX price_alerts_level");
      sql.exec("DROP INDEX price_alerts_expiry");
      sql.exec("UPDATE schema_version SET version = 4");
      const once = sql
        .exec<{ id: string }>("SELECT id FROM price_alerts WHERE frequency = 'once' AND condition NOT LIKE 'percent%' ORDER BY id LIMIT 1")
        .one().id;
      sql.exec("UPDATE price_alerts SET armed = 0 WHERE id = ?", once);
      const before = sql
        .exec("SELECT id, condition, value, threshold, frequency, expires_at, created_at, status FROM price_alerts ORDER BY id")
        .toArray();
      runMigrations(sql, MIGRATIONS);
      expect(sql.exec<{ version: number }>("SELECT version FROM schema_version").one().version).toBe(MIGRATIONS.length);
      expect(
        sql
          .exec("SELECT id, condition, value, threshold, frequency, expires_at, created_at, status FROM price_alerts ORDER BY id")
          .toArray(),
      ).toEqual(before);
      expect(sql.exec<{ armed: number }>("SELECT armed FROM price_alerts WHERE id = ?", once).one().armed).toBe(1);
      const indexes = sql
        .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'price_alerts'")
        .toArray()
        .map((x) => x.name);
      expect(indexes).toEqual(expect.arrayContaining(["price_alerts_level", "price_alerts_expiry"]));
      // The carried-over rule still fires on its level.
      const rule = sql.exec<StoredPriceAlert & Record<string, SqlStorageValue>>("SELECT * FROM price_alerts WHERE id = ?", once).one();
      const above = rule.condition === "less_than" || rule.condition === "crossing_down" || rule.condition === "percent_change_down";
      const p = above ? rule.threshold + 100 * D : rule.threshold - 100 * D;
      const q = above ? rule.threshold - D : rule.threshold + D;
      expect(alerts.evaluate(1, { price: p, t: t + 1, previous: null, previous_close: null }).map((f) => f.rule.id)).not.toContain(once);
      const fired = alerts.evaluate(2, { price: q, t: t + 2, previous: p, previous_close: null });
      expect(fired.map((f) => f.rule.id)).toContain(once);
    });
  });
});
