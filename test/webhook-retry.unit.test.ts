/**
 * Webhook retry policy and signing, pure: backoff with jitter inside Queues'
 * limit, Retry-After, 410 and the automatic disable; signatures checked by
 * the independent `standardwebhooks` package.
 */
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  backoffSeconds,
  DISABLE_AFTER_FAILURES,
  MAX_ATTEMPTS,
  MAX_DELAY_SECONDS,
  outcomeOf,
  retryAfterSeconds,
} from "../src/domain/webhooks/retry";
import { newSecret, signedHeaders } from "../src/domain/webhooks/signing";

const base = { retryAfter: null, baseSeconds: 30, failingSince: null, consecutiveFailures: 1, now: Date.UTC(2026, 11, 3) };

describe("backoff", () => {
  it("doubles per attempt with jitter between half and all of the step, capped at 12 h", () => {
    for (let n = 1; n <= 12; n++) {
      const step = Math.min(MAX_DELAY_SECONDS, 30 * 2 ** (n - 1));
      expect(backoffSeconds(n, 30, () => 0)).toBe(Math.round(step / 2));
      expect(backoffSeconds(n, 30, () => 1)).toBe(step);
    }
    expect(backoffSeconds(40, 30, () => 1)).toBe(MAX_DELAY_SECONDS);
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = Date.UTC(2026, 11, 3, 8, 0, 0);
    expect(retryAfterSeconds("120", now)).toBe(120);
    expect(retryAfterSeconds(new Date(now + 90_000).toUTCString(), now)).toBe(90);
    expect(retryAfterSeconds("soon", now)).toBeNull();
    expect(retryAfterSeconds(null, now)).toBeNull();
  });

  it("honours a longer Retry-After, within the queue's limit", () => {
    expect(outcomeOf({ ...base, status: 503, attempt: 1, retryAfter: 600, random: () => 1 }).retryInSeconds).toBe(600);
    expect(outcomeOf({ ...base, status: 429, attempt: 1, retryAfter: 10 ** 7, random: () => 1 }).retryInSeconds).toBe(MAX_DELAY_SECONDS);
    expect(outcomeOf({ ...base, status: 500, attempt: 1, retryAfter: 1, random: () => 1 }).retryInSeconds).toBe(30);
  });
});

describe("outcomes", () => {
  it("stops on success, on 410 (disabling), after the last attempt, and disables after days or many failures", () => {
    expect(outcomeOf({ ...base, status: 204, attempt: 1 })).toEqual({ retryInSeconds: null, disable: null });
    expect(outcomeOf({ ...base, status: 410, attempt: 1 }).disable).toContain("410");
    expect(outcomeOf({ ...base, status: 500, attempt: MAX_ATTEMPTS })).toEqual({ retryInSeconds: null, disable: null });
    expect(outcomeOf({ ...base, status: 302, attempt: 1 }).retryInSeconds).not.toBeNull();
    expect(outcomeOf({ ...base, status: null, attempt: 2, failingSince: base.now - 5 * 86_400_000 }).disable).toContain("5 days");
    expect(outcomeOf({ ...base, status: 500, attempt: 2, consecutiveFailures: DISABLE_AFTER_FAILURES }).disable).toContain("in a row");
  });
});

describe("signing", () => {
  it("verifies with standardwebhooks under each of two secrets, and not under a third or a changed body", async () => {
    const [a, b, c] = [newSecret(), newSecret(), newSecret()] as const;
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ id: "msg_1", type: "webhook.test", timestamp: new Date().toISOString(), data: { x: 1 } });
    const headers = await signedHeaders([a, b], "msg_1", Math.floor(Date.now() / 1000), body);
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(a).verify(body, headers)).toMatchObject({ id: "msg_1" });
    expect(new Webhook(b).verify(body, headers)).toMatchObject({ id: "msg_1" });
    expect(() => new Webhook(c).verify(body, headers)).toThrow();
    expect(() => new Webhook(a).verify(body.replace("1}", "2}"), headers)).toThrow();
  });
});
