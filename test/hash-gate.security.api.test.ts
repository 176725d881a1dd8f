/**
 * The password-hashing gate (issue 8): one PBKDF2 at a time per isolate, a
 * bounded queue behind it, and a 429 with Retry-After beyond it, so a flood of
 * sign-ins cannot queue unbounded CPU ahead of everyone else's requests.
 */
import { describe, expect, it } from "vitest";
import { ConcurrencyGate, HASH_GATE_LIMITS, hashGate } from "../src/auth/hash-gate";
import { DUMMY_PASSWORD_HASH, verifyPassword } from "../src/auth/password";
import { DomainError } from "../src/domain/errors";
import { api, uniqueEmail } from "./helpers/auth";
import { randomIp } from "./helpers/clients";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the gate", () => {
  it("runs one task at a time, queues up to maxWaiting, refuses the next with rate_limited", async () => {
    const gate = new ConcurrencyGate("test-gate", { maxActive: 1, gapMs: 0, maxWaiting: 2, maxWaitMs: 5_000, pollMs: 1 });
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running++;
      peak = Math.max(peak, running);
      await sleep(20);
      order.push(i);
      running--;
      return i;
    };
    const first = gate.run(task(0));
    const queued = [gate.run(task(1)), gate.run(task(2))];
    expect(gate.active).toBe(1);
    expect(gate.waiting).toBe(2);
    const refused = await gate.run(task(3)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: "rate_limited", details: { policy: "test-gate", retry_after_seconds: 1 } });
    expect(await Promise.all([first, ...queued])).toEqual([0, 1, 2]);
    expect(peak).toBe(1);
    expect(order.sort()).toEqual([0, 1, 2]);
    // Drained: the next task runs at once, and a failing task frees its slot.
    await expect(gate.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    expect(gate.active).toBe(0);
    expect(await gate.run(async () => "free")).toBe("free");
  });

  it("a waiter gives up after maxWaitMs with the same refusal", async () => {
    const gate = new ConcurrencyGate("slow-gate", { maxActive: 1, gapMs: 0, maxWaiting: 4, maxWaitMs: 30, pollMs: 1 });
    const hog = gate.run(() => sleep(200));
    await expect(gate.run(async () => "late")).rejects.toMatchObject({ code: "rate_limited" });
    await hog;
  });

  it("every PBKDF2 goes through the isolate's gate: a password check waits while the slot is taken", async () => {
    expect(HASH_GATE_LIMITS.maxActive).toBe(1);
    const hog = hashGate.run(() => sleep(150));
    let checked = false;
    const check = verifyPassword("a password", DUMMY_PASSWORD_HASH, "pepper-0123456789abcdef0123456789abcdef").then((r) => {
      checked = true;
      return r;
    });
    await sleep(50);
    expect(checked).toBe(false);
    expect(hashGate.waiting).toBe(1);
    await hog;
    expect((await check).ok).toBe(false);
    expect(checked).toBe(true);
    expect(hashGate.active + hashGate.waiting).toBe(0);
  });
});

describe("a flood of sign-ins", () => {
  it("more parallel logins than the queue holds: the overflow gets 429 rate_limited with Retry-After, the rest are checked, none 5xx", {
    timeout: 60_000,
  }, async () => {
    const n = HASH_GATE_LIMITS.maxActive + HASH_GATE_LIMITS.maxWaiting + 24;
    // Each from a client of its own, so neither the per-IP limit nor the login throttle refuses any.
    const replies = await Promise.all(
      Array.from({ length: n }, () =>
        api("POST", "/v1/auth/login", {
          body: { email: uniqueEmail("flood"), password: "a guessed password" },
          headers: { "cf-connecting-ip": randomIp() },
        }),
      ),
    );
    const statuses = replies.map((r) => r.status);
    expect(
      statuses.every((s) => s === 401 || s === 429),
      statuses.join(),
    ).toBe(true);
    const busy = replies.filter((r) => r.status === 429);
    expect(busy.length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 401).length).toBeGreaterThanOrEqual(HASH_GATE_LIMITS.maxActive + HASH_GATE_LIMITS.maxWaiting);
    for (const r of busy) {
      expect(r.body.error).toMatchObject({ code: "rate_limited", details: { policy: "password-hashing", retry_after_seconds: 1 } });
      expect(r.headers.get("retry-after")).toBe("1");
    }
    // Drained: the next login is checked normally.
    const after = await api("POST", "/v1/auth/login", { body: { email: uniqueEmail("after"), password: "a guessed password" } });
    expect(after.status).toBe(401);
  });
});
