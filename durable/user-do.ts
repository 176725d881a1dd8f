/**
 * UserDO: one per user (named by the user id), for what belongs to the person
 * rather than to an account: today their sign-in sessions and disabled flag
 * (user/sessions.ts), later their notification inbox. A thin shell: its public
 * members are exactly its RPC API, the logic lives in durable/user/.
 */
import { DurableObject } from "cloudflare:workers";
import { sessionsChanged } from "../src/auth/session-cache";
import { UserSessions } from "./user/sessions";

export class UserDO extends DurableObject<Env> {
  readonly #sessions: UserSessions;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.#sessions = new UserSessions(ctx.storage.sql);
  }

  // ---- sessions (refresh-token families) ----
  /** Whether an access token naming this session may still be used: an in-memory check. */
  sessionActive(sessionId: string) {
    return this.#sessions.active(sessionId);
  }
  // Every change of the sessions empties this isolate's cache of "active" answers (src/auth/session-cache.ts).
  openSession(sessionId: string, expiresAt: number) {
    sessionsChanged(); // opening one may revoke the oldest beyond the cap
    return this.#sessions.open(sessionId, expiresAt);
  }
  renewSession(sessionId: string, expiresAt: number) {
    return this.#sessions.renew(sessionId, expiresAt);
  }
  revokeSession(sessionId: string) {
    sessionsChanged();
    this.#sessions.revoke(sessionId);
  }
  revokeAllSessions() {
    sessionsChanged();
    return this.#sessions.revokeAll();
  }

  // ---- status ----
  /** Ends every session at once and refuses new ones (operations issue: no route yet). */
  disable() {
    sessionsChanged();
    this.#sessions.disable();
  }
  isDisabled() {
    return this.#sessions.disabled;
  }
}
