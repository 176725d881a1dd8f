/**
 * The symbol's price alert rules, in the MarketDO's SQLite. On each accepted
 * trade the active rules it can change are evaluated (src/domain/alerts/
 * price-rules.ts) in the same transaction as the trade: the rules are indexed
 * on (condition, armed, threshold) and a trade reads only the threshold ranges
 * of src/domain/alerts/price-rule-ranges.ts (the rules it fires or re-arms),
 * not every rule of the symbol. A firing writes its `alert_created`
 * event to the object's outbox, addressed to the rule's user, with the rule's
 * new state: the trigger and its notification commit together or not at all.
 */
import {
  describeTrigger,
  evaluateRule,
  type Frequency,
  type PriceCondition,
  priceText,
  type TradeContext,
} from "../../src/domain/alerts/price-rules";
import { changeRanges } from "../../src/domain/alerts/price-rule-ranges";
import { bucketStart } from "../../src/domain/market/bars";
import { iso } from "./frames";
import type { MarketStore } from "./store";

export interface NewPriceAlert {
  id: string;
  user_id: string;
  condition: PriceCondition;
  value: string;
  threshold: number;
  frequency: Frequency;
  expires_at: number | null;
  created_at: number;
}

/** The editable terms of a rule (PATCH /v1/alerts/price/{id}). */
export type RuleTerms = Pick<NewPriceAlert, "condition" | "value" | "threshold" | "frequency" | "expires_at">;

export interface StoredPriceAlert extends NewPriceAlert {
  status: "active" | "triggered" | "expired";
  armed: number;
  triggered_at: number | null;
  trigger_count: number;
  last_price: number | null;
}

/** What an alert_created event says; the outbox writer adds the envelope. */
export interface AlertFired {
  rule: StoredPriceAlert;
  q: number;
  trade: TradeContext;
}

export class PriceAlerts {
  /** Rules read by the last evaluate (the measure of the level index: fired, re-armed or throttled ones). */
  lastVisited = 0;

  constructor(
    private readonly sql: SqlStorage,
    private readonly symbol: string,
  ) {}

  /** Idempotent by id: a retried create leaves the first one. */
  add(r: NewPriceAlert): void {
    this.sql.exec(
      `INSERT OR IGNORE INTO price_alerts (id, user_id, condition, value, threshold, frequency, expires_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      r.id,
      r.user_id,
      r.condition,
      r.value,
      r.threshold,
      r.frequency,
      r.expires_at,
      r.created_at,
    );
  }

  /** Replaces the user's rule terms and re-arms it (active, armed); false when it is not theirs. */
  edit(id: string, userId: string, terms: RuleTerms): boolean {
    const c = this.sql.exec(
      `UPDATE price_alerts SET condition = ?, value = ?, threshold = ?, frequency = ?, expires_at = ?, status = 'active', armed = 1
       WHERE id = ? AND user_id = ?`,
      terms.condition,
      terms.value,
      terms.threshold,
      terms.frequency,
      terms.expires_at,
      id,
      userId,
    );
    return c.rowsWritten > 0;
  }

  remove(id: string, userId: string): void {
    this.sql.exec("DELETE FROM price_alerts WHERE id = ? AND user_id = ?", id, userId);
  }

  /** The user's rules among `ids` (others' ids are left out). */
  get(ids: readonly string[], userId: string): StoredPriceAlert[] {
    const out: StoredPriceAlert[] = [];
    // SQLite in a Durable Object binds at most 100 parameters per statement.
    for (let i = 0; i < ids.length; i += 50) {
      const chunk = ids.slice(i, i + 50);
      const marks = chunk.map(() => "?").join(", ");
      out.push(...this.#rows(`SELECT * FROM price_alerts WHERE user_id = ? AND id IN (${marks})`, userId, ...chunk));
    }
    return out;
  }

  /** Rules that still wait on a trade: the simulator keeps running for them. */
  waiting(now: number): number {
    return this.sql
      .exec<{ n: number }>("SELECT COUNT(*) AS n FROM price_alerts WHERE status = 'active' AND (expires_at IS NULL OR expires_at > ?)", now)
      .one().n;
  }

  /** Evaluates the active rules the trade can change (see changeRanges); returns the firings (their rows already updated). */
  evaluate(q: number, trade: TradeContext): AlertFired[] {
    this.sql.exec(
      "UPDATE price_alerts SET status = 'expired' WHERE status = 'active' AND expires_at IS NOT NULL AND expires_at <= ?",
      trade.t,
    );
    const select = "SELECT * FROM price_alerts WHERE status = 'active' AND condition = ? AND armed = ? AND threshold BETWEEN ? AND ?";
    // Each range is one read of the level index (the ranges are disjoint); in creation order as before, so events keep their order.
    const candidates = changeRanges(trade)
      .flatMap((r) => this.#rows(select, r.condition, r.armed, r.lo, r.hi))
      .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    this.lastVisited = candidates.length;
    const fired: AlertFired[] = [];
    for (const rule of candidates) {
      const verdict = evaluateRule(
        {
          condition: rule.condition,
          threshold: rule.threshold,
          frequency: rule.frequency,
          armed: rule.armed === 1,
          last_fired_t: rule.triggered_at,
        },
        trade,
      );
      if (verdict.fires) {
        const status = rule.frequency === "once" ? "triggered" : "active";
        this.sql.exec(
          "UPDATE price_alerts SET status = ?, armed = ?, triggered_at = ?, trigger_count = trigger_count + 1, last_price = ? WHERE id = ?",
          status,
          verdict.armed ? 1 : 0,
          trade.t,
          trade.price,
          rule.id,
        );
        fired.push({
          rule: { ...rule, status, triggered_at: trade.t, trigger_count: rule.trigger_count + 1, last_price: trade.price },
          q,
          trade,
        });
      } else if ((verdict.armed ? 1 : 0) !== rule.armed) {
        this.sql.exec("UPDATE price_alerts SET armed = ? WHERE id = ?", verdict.armed ? 1 : 0, rule.id);
      }
    }
    return fired;
  }

  /** The alert_created event of a firing (catalog v2), addressed to the rule's user. */
  eventOf(f: AlertFired, seq: number, now: number) {
    const { rule, trade } = f;
    const what = describeTrigger(this.symbol, rule.condition, rule.value);
    const observed = priceText(trade.price);
    const previous = trade.previous === null ? null : priceText(trade.previous);
    return {
      event_id: `alr_${rule.id.slice(4)}_${f.q}`,
      type: "alert_created",
      version: 2,
      occurred_at: iso(trade.t),
      recorded_at: iso(now),
      account_id: `user:${rule.user_id}`,
      user_id: rule.user_id,
      seq,
      payload: {
        alert_id: `${rule.id}_${rule.trigger_count}`,
        source: "investing",
        severity: "info",
        title: what,
        body: `${this.symbol} traded at ${observed}${previous === null ? "" : ` (previous trade ${previous})`}: your ${rule.frequency === "once" ? "one-time" : "recurring"} alert "${what}" fired.`,
        link: "/alerts",
        reason: {
          kind: "price",
          rule_id: rule.id,
          symbol: this.symbol,
          condition: rule.condition,
          value: rule.value,
          observed_price: observed,
          previous_price: previous,
          previous_close: trade.previous_close === null ? null : priceText(trade.previous_close),
          t: iso(trade.t),
        },
      },
    };
  }

  #rows(query: string, ...args: SqlStorageValue[]): StoredPriceAlert[] {
    return this.sql
      .exec<StoredPriceAlert & Record<string, SqlStorageValue>>(query, ...args)
      .toArray()
      .map((r) => ({ ...r }));
  }
}

/**
 * Evaluates the rules on each accepted trade of a batch, in order (each
 * against the trade before it), and writes each firing's event to the outbox.
 * Runs inside the batch's transaction.
 */
export function raiseAlerts(
  store: MarketStore,
  alerts: PriceAlerts,
  trades: readonly { q: number; t: number; price: number }[],
  previousPrice: number | null,
  now: number,
): void {
  let previous = previousPrice;
  for (const t of trades) {
    const previousClose = store.closeBefore(bucketStart(t.t, "1Day"));
    // The envelope's seq is the trade's q: the symbol's own event_seq (market:<symbol>) stays gap-free.
    for (const fired of alerts.evaluate(t.q, { price: t.price, t: t.t, previous, previous_close: previousClose }))
      store.enqueueEvent(alerts.eventOf(fired, t.q, now));
    previous = t.price;
  }
}
