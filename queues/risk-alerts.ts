/**
 * The risk alert branch of the EVENTS consumer, after the inbox: a
 * `portfolio_trade_executed` re-evaluates its user's risk rules, and a daily
 * close (`market_price_updated`, reason daily_close) those of every user whose
 * accounts hold the symbol (the symbol's MarketDO keeps who). A rule that
 * fires sends an `alert_created` (v2, reason kind risk) to the EVENTS queue,
 * at most once per rule per UTC day (event id rule + day, so a redelivery or
 * a race dedupes in Silver and in the inbox). Best effort: an evaluation that
 * fails is logged and waits for the next trade or close; it never holds the
 * batch back.
 */
import { userObject } from "../src/auth/sessions";
import { evaluateRisk } from "../src/domain/alerts/risk-rules";
import { formatScaled } from "../src/domain/market/decimal";
import { type EventParser, parseEvent } from "../src/events/catalog";
import { readHoldings } from "../src/lib/holdings";
import { marketStub } from "../src/lib/market-rpc";
import type { RiskRule } from "../durable/user/risk-rules";

const MAX_WATCHERS = 500;

export async function evaluateRiskAlerts(
  env: Env,
  bodies: readonly unknown[],
  skip: ReadonlySet<number>,
  now = Date.now(),
  parse: EventParser = parseEvent,
): Promise<void> {
  const users = new Set<string>();
  const closes = new Set<string>();
  bodies.forEach((body, i) => {
    if (skip.has(i)) return;
    const parsed = parse(body);
    if (!parsed.ok) return;
    const e = parsed.event;
    if (e.type === "portfolio_trade_executed") users.add(e.user_id);
    if (e.type === "market_price_updated" && e.payload.reason === "daily_close") closes.add(e.payload.symbol);
  });
  try {
    for (const symbol of closes) for (const u of await marketStub(env, symbol).riskWatchers(MAX_WATCHERS)) users.add(u);
    await Promise.all([...users].map((u) => evaluateUser(env, u, now, closes)));
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "risk alerts failed", error: String(err) }));
  }
}

async function evaluateUser(env: Env, userId: string, now: number, closes: ReadonlySet<string>): Promise<void> {
  const user = userObject(env, userId);
  const rules = (await user.listRiskRules()) as RiskRule[];
  if (rules.length === 0) {
    // No rules left: stop watching the symbols that asked.
    await Promise.all([...closes].map((s) => marketStub(env, s).unwatchRisk(userId)));
    return;
  }
  const day = new Date(now).toISOString().slice(0, 10);
  const accounts = [...new Set(rules.map((r) => r.account_id))];
  const events: unknown[] = [];
  const outcomes: { id: string; peak: number; fired: boolean }[] = [];
  for (const accountId of accounts) {
    const h = await readHoldings(env, userId, accountId, `risk-${day}`);
    if (!h) continue;
    // Every symbol held: its daily close re-evaluates this user.
    await Promise.all(h.holdings.positions.map((p) => marketStub(env, p.symbol).watchRisk(userId)));
    for (const rule of rules.filter((r) => r.account_id === accountId)) {
      const v = evaluateRisk(rule, h.holdings);
      const fired = v.fires && rule.last_fired_day !== day;
      outcomes.push({ id: rule.id, peak: v.peak, fired });
      if (fired) events.push(riskEvent(rule, userId, v, h.currency, day, now));
    }
  }
  if (events.length > 0) await env.EVENTS.sendBatch(events.map((body) => ({ body, contentType: "json" as const })));
  for (const o of outcomes) await user.riskRuleEvaluated(o.id, o.peak, o.fired ? day : null);
}

function riskEvent(rule: RiskRule, userId: string, v: ReturnType<typeof evaluateRisk>, currency: string, day: string, now: number) {
  const measured = formatScaled(v.measure_bp, 2);
  const title =
    rule.kind === "concentration"
      ? `${v.symbol} is ${measured} % of your brokerage account`
      : `Your brokerage account is ${measured} % below its peak`;
  const body =
    rule.kind === "concentration"
      ? `Your largest position, ${v.symbol}, reached ${measured} % of the account's value (your alert: ${rule.threshold} %).`
      : `The account's value fell ${measured} % from its peak since you set the alert (your alert: ${rule.threshold} %).`;
  const t = new Date(now).toISOString();
  return {
    event_id: `rsk_${rule.id.slice(4)}_${day.replaceAll("-", "")}`,
    type: "alert_created",
    version: 2,
    occurred_at: t,
    recorded_at: t,
    // Not the account's own id: its event seq is gap-free (the account's outbox), and reconcile reads the holes.
    account_id: `user:${userId}`,
    user_id: userId,
    seq: rule.trigger_count + 1,
    payload: {
      alert_id: `${rule.id}_${day}`,
      source: "investing",
      severity: "warning",
      title,
      body,
      link: "/alerts",
      reason: {
        kind: "risk",
        rule_id: rule.id,
        account_id: rule.account_id,
        risk: rule.kind,
        threshold: rule.threshold,
        measured,
        symbol: v.symbol,
        value: Math.max(0, v.value),
        peak: Math.max(0, v.peak),
        currency,
        t,
      },
    },
  };
}
