/** The isolate's cache of "session active" answers (src/auth/session-cache.ts). */
import { describe, expect, it } from "vitest";
import { knownActive, rememberActive, SESSION_CACHE_MS, sessionGeneration, sessionsChanged } from "../src/auth/session-cache";

describe("session cache", () => {
  it("keeps a positive answer for SESSION_CACHE_MS, per user and session", () => {
    const now = 1_000_000;
    rememberActive("usr_a", "rtf_1", sessionGeneration(), now);
    expect(knownActive("usr_a", "rtf_1", now + SESSION_CACHE_MS - 1)).toBe(true);
    expect(knownActive("usr_a", "rtf_1", now + SESSION_CACHE_MS)).toBe(false);
    expect(knownActive("usr_b", "rtf_1", now)).toBe(false);
    expect(knownActive("usr_a", "rtf_2", now)).toBe(false);
  });

  it("forgets everything when a session changes", () => {
    const now = 2_000_000;
    rememberActive("usr_a", "rtf_1", sessionGeneration(), now);
    sessionsChanged();
    expect(knownActive("usr_a", "rtf_1", now)).toBe(false);
  });

  it("does not keep an answer that was in flight across a change", () => {
    const now = 3_000_000;
    const asked = sessionGeneration();
    sessionsChanged(); // e.g. a logout while the UserDO's "active" was on its way back
    rememberActive("usr_a", "rtf_1", asked, now);
    expect(knownActive("usr_a", "rtf_1", now)).toBe(false);
  });
});
