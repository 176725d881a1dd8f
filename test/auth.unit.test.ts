import { describe, expect, it } from "vitest";
import {
  constantTimeEqual,
  DUMMY_PASSWORD_HASH,
  hashPassword,
  PBKDF2_ITERATIONS,
  parsePasswordHash,
  verifyPassword,
} from "../src/auth/password";
import { hashRefreshToken, newRefreshToken } from "../src/auth/refresh-tokens";
import { referenceHash } from "./helpers/passwords";

const PEPPER = "unit-test-pepper-0123456789abcdef0123456789";
const OTHER_PEPPER = "another-pepper-0123456789abcdef0123456789ab";
const PASSWORD = "correct horse battery staple";

describe("PBKDF2 iteration count", () => {
  it("stays within the production Workers cap of 100,000 (local workerd would accept more)", () => {
    expect(PBKDF2_ITERATIONS).toBeLessThanOrEqual(100_000);
    // The cap is also the target: fewer iterations would weaken every new hash.
    expect(PBKDF2_ITERATIONS).toBe(100_000);
  });

  it("is the count written into new hashes", async () => {
    const stored = await hashPassword(PASSWORD, PEPPER);
    expect(Number(stored.split("$")[1])).toBeLessThanOrEqual(100_000);
    expect(parsePasswordHash(stored)?.iterations).toBe(PBKDF2_ITERATIONS);
  });
});

describe("hashPassword", () => {
  it("writes pbkdf2-sha256$100000$<16-byte salt b64>$<32-byte hash b64>", async () => {
    const stored = await hashPassword(PASSWORD, PEPPER);
    expect(stored).toMatch(/^pbkdf2-sha256\$100000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    const parsed = parsePasswordHash(stored)!;
    expect(parsed.salt).toHaveLength(16);
    expect(parsed.hash).toHaveLength(32);
    expect(stored).not.toContain(PASSWORD);
  });

  it("peppers with HMAC before PBKDF2 (matches an independent computation)", async () => {
    const stored = await hashPassword(PASSWORD, PEPPER);
    const { salt } = parsePasswordHash(stored)!;
    expect(stored).toBe(await referenceHash(PASSWORD, PEPPER, salt, 100_000));
  });

  it("salts randomly, so equal passwords give different hashes", async () => {
    const [a, b] = await Promise.all([hashPassword(PASSWORD, PEPPER), hashPassword(PASSWORD, PEPPER)]);
    expect(a).not.toBe(b);
  });
});

describe("verifyPassword", () => {
  it("accepts the right password and asks for no rehash at current parameters", async () => {
    const stored = await hashPassword(PASSWORD, PEPPER);
    expect(await verifyPassword(PASSWORD, stored, PEPPER)).toEqual({ ok: true, needsRehash: false });
  });

  it("rejects a wrong password", async () => {
    const stored = await hashPassword(PASSWORD, PEPPER);
    expect((await verifyPassword(PASSWORD + "!", stored, PEPPER)).ok).toBe(false);
    expect((await verifyPassword("", stored, PEPPER)).ok).toBe(false);
  });

  it("rejects the right password under a different pepper", async () => {
    const stored = await hashPassword(PASSWORD, PEPPER);
    expect((await verifyPassword(PASSWORD, stored, OTHER_PEPPER)).ok).toBe(false);
  });

  it("reads the stored parameters and flags older ones for a rehash", async () => {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const old = await referenceHash(PASSWORD, PEPPER, salt, 1_000);
    expect(await verifyPassword(PASSWORD, old, PEPPER)).toEqual({ ok: true, needsRehash: true });
    expect(await verifyPassword("wrong password!", old, PEPPER)).toEqual({ ok: false, needsRehash: false });
  });

  it("refuses stored hashes above the cap, unknown schemes and malformed strings without throwing", async () => {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const tooMany = (await referenceHash(PASSWORD, PEPPER, salt, 1_000)).replace("$1000$", "$200000$");
    for (const stored of [
      tooMany,
      "",
      "bcrypt$10$abc$def",
      "pbkdf2-sha256$abc$AAAA$AAAA",
      "pbkdf2-sha256$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
      "pbkdf2-sha256$1000$!!!$???",
      "pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA==",
    ]) {
      expect((await verifyPassword(PASSWORD, stored, PEPPER)).ok, stored).toBe(false);
    }
  });

  it("never matches the dummy hash used for unknown emails", async () => {
    expect(parsePasswordHash(DUMMY_PASSWORD_HASH)?.iterations).toBe(PBKDF2_ITERATIONS);
    expect((await verifyPassword(PASSWORD, DUMMY_PASSWORD_HASH, PEPPER)).ok).toBe(false);
  });
});

describe("constantTimeEqual", () => {
  it("is true only for equal bytes of equal length", () => {
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([]), new Uint8Array([]))).toBe(true);
    expect(constantTimeEqual(new Uint8Array([9, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });

  it("reads every byte even when the first one differs (no early exit)", () => {
    const reads = new Set<number>();
    const spy = (bytes: Uint8Array) =>
      new Proxy(bytes, {
        get(target, prop) {
          if (typeof prop === "string" && /^\d+$/.test(prop)) reads.add(Number(prop));
          return Reflect.get(target, prop);
        },
      });
    const a = new Uint8Array(32).fill(7);
    const b = new Uint8Array(32).fill(7);
    b[0] = 8;
    expect(constantTimeEqual(spy(a), b)).toBe(false);
    expect(reads.size).toBe(32);
  });
});

describe("refresh token material", () => {
  it("carries 256 random bits, URL-safe", () => {
    const token = newRefreshToken();
    expect(token).toMatch(/^rt_[A-Za-z0-9_-]{43}$/);
    const bytes = atob(token.slice(3).replaceAll("-", "+").replaceAll("_", "/") + "=");
    expect(bytes).toHaveLength(32);
    expect(new Set(Array.from({ length: 50 }, newRefreshToken)).size).toBe(50);
  });

  it("is stored as SHA-256 hex", async () => {
    expect(await hashRefreshToken("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
