/**
 * UserDO: one per user (named by the user id), for what belongs to the person rather than to an account:
 * sign-in sessions and disabled flag (user/sessions.ts), the notification inbox, preferences and known devices
 * (user/inbox.ts, preferences.ts, devices.ts), the inbox's live sockets (user/inbox-sockets.ts, Hibernation API),
 * outbound webhook endpoints and their delivery log (user/webhook-*.ts; sent by queues/webhooks.ts). A thin
 * shell: its public members are exactly its RPC API and the runtime's socket handlers.
 */
import { DurableObject } from "cloudflare:workers";
import { sessionsChanged } from "../src/auth/session-cache";
import { retentionPolicy } from "../src/lib/retention-policy";
import { AUTH_TIMEOUT_MS } from "../src/domain/socket-protocol";
import { type NotificationDraft, newDeviceLogin } from "../src/domain/notifications/from-event";
import type { NotificationKind, PreferencesPatch } from "../src/domain/notifications/kinds";
import { passwordChanged } from "../src/domain/notifications/password-changed";
import { armAuthDeadline, expireUnauthenticated } from "./socket/first-message-auth";
import { KnownDevices } from "./user/devices";
import { Inbox, type ListQuery, seqOf } from "./user/inbox";
import { InboxSockets } from "./user/inbox-sockets";
import { LazySql } from "./user/lazy-sql";
import { NotificationDelivery } from "./user/notification-delivery";
import { NotificationPreferences } from "./user/preferences";
import { RecurringStates, type RecurringUserState } from "./user/recurring-states";
import { Simulations, type StoredSimulation } from "./user/simulations";
import { PriceAlertIndex } from "./user/price-alert-index";
import { type RiskRule, RiskRules } from "./user/risk-rules";
import { UserSessions } from "./user/sessions";
import { WebhookDeliveries } from "./user/webhook-deliveries";
import { WebhookDispatch } from "./user/webhook-dispatch";
import { WebhookEndpoints } from "./user/webhook-endpoints";
import type { AttemptReport } from "./user/webhook-rows";

const PING = '{"action":"ping"}';
const PONG = '[{"T":"pong"}]';

export class UserDO extends DurableObject<Env> {
  readonly #sessions: UserSessions;
  readonly #inbox: Inbox;
  readonly #prefs: NotificationPreferences;
  readonly #devices: KnownDevices;
  readonly #sockets: InboxSockets;
  readonly #priceAlerts: PriceAlertIndex;
  readonly #riskRules: RiskRules;
  readonly #webhooks: WebhookEndpoints;
  readonly #deliveries: WebhookDeliveries;
  readonly #dispatch: WebhookDispatch;
  readonly #recurring: RecurringStates;
  readonly #simulations: Simulations;
  readonly #delivery: NotificationDelivery;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sessions = new UserSessions(ctx.storage.sql);
    const store = new LazySql(ctx.storage.sql);
    this.#inbox = new Inbox(store);
    this.#prefs = new NotificationPreferences(store);
    this.#devices = new KnownDevices(store);
    this.#priceAlerts = new PriceAlertIndex(store);
    this.#riskRules = new RiskRules(store);
    this.#webhooks = new WebhookEndpoints(store);
    this.#deliveries = new WebhookDeliveries(store, retentionPolicy(env).webhookDeliveryMs);
    this.#recurring = new RecurringStates(store);
    this.#simulations = new Simulations(store);
    this.#dispatch = new WebhookDispatch(this.#webhooks, this.#deliveries, ctx.storage, env.WEBHOOKS, ctx.id.name ?? "");
    this.#sockets = new InboxSockets(ctx.getWebSockets(), {
      env,
      userId: ctx.id.name ?? "",
      inbox: this.#inbox,
      sessionActive: (sid) => this.#sessions.active(sid),
    });
    this.#delivery = new NotificationDelivery(this.#inbox, this.#prefs, this.#dispatch, this.#sockets);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  // ---- sessions (refresh-token families) ----
  /** Whether an access token naming this session may still be used: an in-memory check. */
  sessionActive(sessionId: string) {
    return this.#sessions.active(sessionId);
  }
  // Every change of the sessions empties this isolate's cache of "active" answers (src/auth/session-cache.ts).
  openSession(sessionId: string, expiresAt: number) {
    sessionsChanged(); // opening one may revoke the oldest beyond the cap
    const opened = this.#sessions.open(sessionId, expiresAt);
    this.#sockets.closeRevoked();
    return opened;
  }
  renewSession(sessionId: string, expiresAt: number) {
    return this.#sessions.renew(sessionId, expiresAt);
  }
  revokeSession(sessionId: string) {
    sessionsChanged();
    this.#sessions.revoke(sessionId);
    this.#sockets.closeRevoked();
  }
  revokeAllSessions() {
    sessionsChanged();
    const revoked = this.#sessions.revokeAll();
    this.#sockets.closeRevoked();
    return revoked;
  }

  /**
   * A password change (POST /v1/me/password): every session but the caller's
   * ends, and a `password_changed` notice enters the inbox. Returns the
   * revoked session ids (their refresh tokens are revoked in D1 by the
   * caller) and the notice's email, when the preferences send one.
   */
  async passwordChanged(keepSessionId: string, changeId: string, userAgent: string, ipPrefix: string) {
    sessionsChanged();
    const revoked = this.#sessions.revokeAllExcept(keepSessionId);
    this.#sockets.closeRevoked();
    const { emails } = await this.deliverNotifications([passwordChanged(changeId, userAgent, ipPrefix)]);
    return { revoked, emails };
  }

  // ---- status ----
  /** Ends every session at once and refuses new ones (POST /v1/admin/users/{id}/disable). */
  disable() {
    sessionsChanged();
    this.#sessions.disable();
    this.#sockets.closeRevoked();
  }
  /** Accepts sign-ins again (POST /v1/admin/users/{id}/enable); ended sessions stay ended. */
  enable() {
    sessionsChanged();
    this.#sessions.enable();
  }
  isDisabled() {
    return this.#sessions.disabled;
  }

  // ---- inbox ----
  /** Notifications from the events consumer, exactly once per source event: see user/notification-delivery.ts. */
  deliverNotifications(drafts: NotificationDraft[]) {
    return this.#delivery.deliver(drafts);
  }
  /** A successful sign-in: a notification when the device (user agent + IP prefix) is new, except at sign-up. */
  async recordSignIn(sessionId: string, userAgent: string, ipPrefix: string, signUp: boolean) {
    const isNew = this.#devices.seen(userAgent, ipPrefix, Date.now());
    const emails = isNew && !signUp ? (await this.deliverNotifications([newDeviceLogin(sessionId, userAgent, ipPrefix)])).emails : [];
    return { newDevice: isNew, emails };
  }
  listNotifications(q: { cursor: string | null; unread: boolean; kind: NotificationKind | null; limit: number }) {
    const query: ListQuery = { limit: q.limit, unread: q.unread };
    if (q.kind) query.kind = q.kind;
    if (q.cursor) query.beforeSeq = seqOf(q.cursor) ?? 0;
    return this.#inbox.list(query);
  }
  markNotificationRead(id: string) {
    const seq = seqOf(id);
    const n = seq === null ? null : this.#inbox.markRead(seq, Date.now());
    if (n) this.#sockets.push([]);
    return n;
  }
  markAllNotificationsRead() {
    const changed = this.#inbox.markAllRead(Date.now());
    if (changed > 0) this.#sockets.push([]);
    return { marked: changed };
  }
  unreadNotificationCount() {
    return this.#inbox.unreadCount();
  }
  notificationPreferences() {
    return this.#prefs.get();
  }
  setNotificationPreferences(patch: PreferencesPatch) {
    return this.#prefs.update(patch, Date.now());
  }
  listAlerts(limit: number) {
    return this.#inbox.alerts(limit);
  }
  setAlertState(id: string, state: "acknowledged" | "dismissed") {
    const seq = seqOf(id);
    const n = seq === null ? null : this.#inbox.setAlertState(seq, state, Date.now());
    if (n) this.#sockets.push([]);
    return n;
  }

  // ---- price alert rules: the index (each rule's state is in its symbol's MarketDO) ----
  indexPriceAlert(id: string, symbol: string) {
    return this.#priceAlerts.add(id, symbol, Date.now());
  }
  priceAlertEntry(id: string) {
    return this.#priceAlerts.get(id);
  }
  listPriceAlertEntries(beforeSeq: number | null, limit: number) {
    return this.#priceAlerts.list(beforeSeq, limit);
  }
  unindexPriceAlert(id: string) {
    this.#priceAlerts.remove(id);
  }

  // ---- risk alert rules (evaluated by the events consumer, queues/risk-alerts.ts) ----
  addRiskRule(rule: Omit<RiskRule, "last_fired_day" | "trigger_count">) {
    return this.#riskRules.add(rule);
  }
  listRiskRules() {
    return this.#riskRules.list();
  }
  removeRiskRule(id: string) {
    return this.#riskRules.remove(id);
  }
  /** Keeps the rule's peak; with `firedDay`, records a firing unless it already fired that day (returns whether it did now). */
  riskRuleEvaluated(id: string, peak: number, firedDay: string | null) {
    return this.#riskRules.evaluated(id, peak, firedDay);
  }

  // ---- intelligence (routes: src/routes/recurring.ts, simulations.ts): verdicts on detected streams, saved simulations ----
  recurringStates() {
    return this.#recurring.all();
  }
  setRecurringState(streamId: string, state: RecurringUserState) {
    this.#recurring.set(streamId, state, Date.now());
  }
  saveSimulation(s: Omit<StoredSimulation, "seq" | "created_at">) {
    return this.#simulations.add({ ...s, created_at: Date.now() });
  }
  listSimulations(limit: number) {
    return this.#simulations.list(limit);
  }
  getSimulation(id: string) {
    return this.#simulations.get(id);
  }
  deleteSimulation(id: string) {
    return this.#simulations.remove(id);
  }

  // ---- webhooks (routes: src/routes/webhooks.ts; sender: queues/webhooks.ts) ----
  createWebhook(input: { url: string; event_types: string[]; description: string | null }) {
    return this.#webhooks.create(input, Date.now());
  }
  listWebhooks() {
    return this.#webhooks.list(Date.now());
  }
  getWebhook(id: string) {
    return this.#webhooks.get(id, Date.now());
  }
  updateWebhook(id: string, patch: { url?: string; event_types?: string[]; description?: string | null; enabled?: boolean }) {
    return this.#dispatch.update(id, patch);
  }
  deleteWebhook(id: string) {
    return this.#webhooks.delete(id);
  }
  rotateWebhookSecret(id: string) {
    return this.#webhooks.rotate(id, Date.now());
  }
  listWebhookDeliveries(id: string, limit: number) {
    return this.#dispatch.deliveryLog(id, limit);
  }
  /** Queues a `webhook.test` message to the endpoint, whatever its filter; null when not found, "disabled" when disabled. */
  testWebhook(id: string) {
    return this.#dispatch.test(id);
  }
  /** The same message again (same webhook-id and body) as a new delivery. */
  redeliverWebhook(id: string, deliveryId: string) {
    return this.#dispatch.redeliver(id, deliveryId);
  }
  /** For the WEBHOOKS consumer: what to send for this job now, or null (nothing to send). */
  webhookSendPlan(endpointId: string, deliveryId: string, attempt: number) {
    return this.#deliveries.plan(endpointId, deliveryId, attempt, Date.now());
  }
  /** For the WEBHOOKS consumer: logs an attempt; when it disabled the endpoint, the inbox says so. */
  async recordWebhookAttempt(endpointId: string, deliveryId: string, attempt: number, report: AttemptReport) {
    const { result, notice } = await this.#dispatch.record(endpointId, deliveryId, attempt, report);
    if (notice) await this.deliverNotifications([notice]);
    return result;
  }

  // ---- the inbox stream (runtime handlers) ----
  /** The upgrade, forwarded by the Worker's GET /v1/notifications/stream. */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") return new Response("expected a WebSocket upgrade", { status: 426 });
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    const deadline = Date.now() + AUTH_TIMEOUT_MS;
    if (this.#sockets.accept(server, deadline)) await armAuthDeadline(this.ctx.storage, deadline);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await this.#sockets.message(ws, message);
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    this.#sockets.closed(ws, code);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    this.#sockets.remove(ws);
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const { next, closed } = expireUnauthenticated(this.#sockets.all(), now);
    for (const ws of closed) this.#sockets.remove(ws);
    const sweep = await this.#dispatch.sweep(now);
    const at = [next, sweep].filter((x): x is number => x !== null);
    if (at.length > 0) await this.ctx.storage.setAlarm(Math.max(now + 1_000, Math.min(...at)));
  }
}
