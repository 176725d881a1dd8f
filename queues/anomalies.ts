/**
 * The anomaly branch of the EVENTS consumer, after Silver and Gold committed
 * (so the typed Silver table holds the batch): each posted purchase or
 * withdrawal is scored (src/domain/intel/anomaly.ts) against its user's
 * earlier transactions from silver_transactions (only the columns it reads) — the scorer's windows exclude
 * the event itself and anything not strictly before it — with the recurring
 * detector's "subscription price increase" input (src/domain/intel/score-event.ts, the
 * history prepared once per user and batch). A score above zero is
 * stored with its reasons; elevated or highest sends an `alert_created` (v3)
 * to the EVENTS queue, which the inbox turns into an open alert. The alert is
 * sent before the row is stored, and a stored entry is never scored again, so
 * a redelivery neither loses nor repeats an alert. Best effort: a failure is
 * logged and never holds the batch back.
 */
import { anomalyAlertEvent, boundedReasons } from "../src/domain/intel/anomaly-alert";
import { prepareHistory, scorePrepared } from "../src/domain/intel/score-event";
import { DAY_MS } from "../src/domain/intel/types";
import { type AnomalyRow, insertAnomalies, scoredKey, scoredKeysQuery } from "../src/db/intel/anomalies";
import { readScoringRows, type ScoringRow, scoringRowsStatement } from "../src/db/intel/transactions-read";
import { type EventParser, parseEvent } from "../src/events/catalog";

/** How far back a user's history reaches, and at most how many rows of it. */
export const HISTORY_DAYS = 180;
export const HISTORY_ROWS = 2_000;
const SCORED_KINDS = new Set(["purchase", "withdrawal"]);

interface Candidate {
  user_id: string;
  account_id: string;
  entry_id: string;
  at: number;
}

export interface ScoreOptions {
  /** false in replays: the rows are rebuilt with the same alert ids, but nothing reaches the inbox again. */
  sendAlerts?: boolean;
  now?: number;
  /** The batch's parser, when other readers of the same bodies share it. */
  parse?: EventParser;
}

export async function scoreAnomalies(
  env: Env,
  bodies: readonly unknown[],
  skip: ReadonlySet<number>,
  opts: ScoreOptions = {},
): Promise<void> {
  const now = opts.now ?? Date.now();
  try {
    const candidates = candidatesOf(bodies, skip, opts.parse ?? parseEvent);
    if (candidates.length === 0) return;
    // One D1 batch (one round trip) asks which candidates were scored already and reads each
    // user's history over the range of all their candidates. Usually none was scored, so those
    // are the ranges needed; a user whose range shrinks once the scored ones are left out is read
    // again over the narrower range, so the history is always that of the unscored candidates.
    const guessed = [...groupByUser(candidates)].map(([userId, list]) => ({ userId, range: historyRange(list) }));
    const keys = scoredKeysQuery(env.DB, candidates);
    const results = await env.DB.batch([...keys.statements, ...guessed.map((g) => scoringRowsStatement(env.DB, g.userId, g.range))]);
    const done = keys.collect(results.slice(0, keys.statements.length));
    const read = new Map(
      guessed.map((g, i) => [g.userId, { range: g.range, rows: results[keys.statements.length + i]!.results as ScoringRow[] }]),
    );
    const byUser = groupByUser(candidates.filter((c) => !done.has(scoredKey(c.account_id, c.entry_id))));
    const rows: AnomalyRow[] = [];
    const alerts: unknown[] = [];
    const histories = await Promise.all(
      [...byUser].map(async ([userId, list]) => {
        const range = historyRange(list);
        const first = read.get(userId);
        const same = first && first.range.from === range.from && first.range.to === range.to;
        const history = same ? first.rows : await readScoringRows(env.DB, userId, range);
        return { list, history };
      }),
    );
    for (const { list, history } of histories) scoreUser(list, history, now, rows, alerts);
    if (alerts.length > 0 && opts.sendAlerts !== false)
      await env.EVENTS.sendBatch(alerts.map((body) => ({ body, contentType: "json" as const })));
    await insertAnomalies(env.DB, rows);
  } catch (err) {
    console.error(JSON.stringify({ level: "error", msg: "anomaly scoring failed", error: String(err) }));
  }
}

function groupByUser(candidates: readonly Candidate[]): Map<string, Candidate[]> {
  const byUser = new Map<string, Candidate[]>();
  for (const c of candidates) byUser.set(c.user_id, [...(byUser.get(c.user_id) ?? []), c]);
  return byUser;
}

/** The history a user's candidates are scored against: HISTORY_DAYS before the first, up to the last. */
function historyRange(list: readonly Candidate[]) {
  const times = list.map((c) => c.at);
  return {
    from: new Date(Math.min(...times) - HISTORY_DAYS * DAY_MS).toISOString(),
    to: new Date(Math.max(...times) + 1).toISOString(),
    limit: HISTORY_ROWS,
  };
}

function candidatesOf(bodies: readonly unknown[], skip: ReadonlySet<number>, parse: EventParser): Candidate[] {
  const out = new Map<string, Candidate>();
  bodies.forEach((body, i) => {
    if (skip.has(i)) return;
    const parsed = parse(body);
    if (!parsed.ok || parsed.event.type !== "transaction_posted") return;
    const e = parsed.event;
    if (e.payload.direction !== "debit" || !SCORED_KINDS.has(e.payload.kind)) return;
    const c = { user_id: e.user_id, account_id: e.account_id, entry_id: e.payload.entry_id, at: Date.parse(e.occurred_at) };
    out.set(scoredKey(c.account_id, c.entry_id), c);
  });
  return [...out.values()];
}

function scoreUser(list: readonly Candidate[], history: readonly ScoringRow[], now: number, rows: AnomalyRow[], alerts: unknown[]) {
  const byKey = new Map(history.map((h) => [scoredKey(h.account_id, h.id), h]));
  // Parsed and grouped once per user and batch, not per event (score-event.ts).
  const prepared = prepareHistory(history, (t) => (t as ScoringRow).merchant_key);
  for (const c of list) {
    const event = byKey.get(scoredKey(c.account_id, c.entry_id));
    if (!event) continue;
    const score = scorePrepared(event, prepared);
    if (score.score === 0) continue;
    const entry = { ...event, entry_id: event.id };
    const alert = score.risk_level === "normal" ? null : anomalyAlertEvent(entry, score, now);
    if (alert) alerts.push(alert);
    rows.push({
      account_id: event.account_id,
      entry_id: event.id,
      user_id: event.user_id,
      occurred_at: event.occurred_at,
      amount: event.amount,
      currency: event.currency,
      merchant_key: event.merchant_key,
      score: score.score,
      risk_level: score.risk_level,
      reasons: boundedReasons(score.reasons),
      alert_event_id: alert?.event_id ?? null,
      scored_at: new Date(now).toISOString(),
    });
  }
}
