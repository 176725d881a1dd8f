/**
 * The user's notification preferences (kind × channel, quiet hours), one
 * row; an absent row means the defaults (src/domain/notifications/kinds.ts).
 */
import { applyPatch, type Preferences, type PreferencesPatch, withDefaults } from "../../src/domain/notifications/kinds";
import type { LazySql } from "./lazy-sql";

export class NotificationPreferences {
  #cached: Preferences | null = null;

  constructor(readonly store: LazySql) {}

  get(): Preferences {
    if (this.#cached) return this.#cached;
    const row = this.store.readable?.exec<{ prefs: string }>("SELECT prefs FROM notification_preferences WHERE id = 1").toArray()[0];
    this.#cached = withDefaults(row ? JSON.parse(row.prefs) : {});
    return this.#cached;
  }

  update(patch: PreferencesPatch, now: number): Preferences {
    const next = applyPatch(this.get(), patch);
    this.store
      .writable()
      .exec("INSERT OR REPLACE INTO notification_preferences (id, prefs, updated_at) VALUES (1, ?, ?)", JSON.stringify(next), now);
    this.#cached = next;
    return next;
  }
}
