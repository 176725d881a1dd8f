/**
 * Password hashing: HMAC-SHA256 pepper, then PBKDF2-SHA256 through WebCrypto,
 * stored self-describing (`pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`)
 * so the parameters can be raised later and old hashes upgraded on login.
 */
import { hashGate } from "./hash-gate";

/**
 * Production Workers reject PBKDF2 above 100,000 iterations, while local
 * workerd accepts more; a higher value would pass every test and fail after
 * deploy, so a unit test pins this to the cap.
 */
export const PBKDF2_ITERATIONS = 100_000;
export const PBKDF2_MAX_ITERATIONS = 100_000;
export const SALT_BYTES = 16;
export const HASH_BYTES = 32;
const SCHEME = "pbkdf2-sha256";

export interface PasswordVerification {
  ok: boolean;
  /** The stored hash uses other parameters than today's; rehash after a successful login. */
  needsRehash: boolean;
}

/**
 * Same cost as a real hash and never matches anything (the all-zero hash), so
 * a login for an unknown email takes as long as one with a wrong password.
 */
export const DUMMY_PASSWORD_HASH = `${SCHEME}$${PBKDF2_ITERATIONS}$${toBase64(new Uint8Array(SALT_BYTES))}$${toBase64(new Uint8Array(HASH_BYTES))}`;

const encoder = new TextEncoder();
const pepperKeys = new Map<string, Promise<CryptoKey>>();

function pepperKey(pepper: string): Promise<CryptoKey> {
  let key = pepperKeys.get(pepper);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    pepperKeys.set(pepper, key);
  }
  return key;
}

/**
 * The pepper is a secret outside the database, so a stolen users table alone
 * cannot be brute-forced. NFKC makes visually identical inputs hash alike.
 */
async function pepperPassword(password: string, pepper: string): Promise<Uint8Array> {
  const mac = await crypto.subtle.sign("HMAC", await pepperKey(pepper), encoder.encode(password.normalize("NFKC")));
  return new Uint8Array(mac);
}

/** Through the isolate's hashing gate (hash-gate.ts): throws `rate_limited` when too many wait. */
function pbkdf2(peppered: Uint8Array, salt: Uint8Array, iterations: number, bytes: number): Promise<Uint8Array> {
  return hashGate.run(() => derive(peppered, salt, iterations, bytes));
}

async function derive(peppered: Uint8Array, salt: Uint8Array, iterations: number, bytes: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey("raw", peppered, "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, bytes * 8);
  return new Uint8Array(bits);
}

export async function hashPassword(password: string, pepper: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const hash = await pbkdf2(await pepperPassword(password, pepper), salt, PBKDF2_ITERATIONS, HASH_BYTES);
  return `${SCHEME}$${PBKDF2_ITERATIONS}$${toBase64(salt)}$${toBase64(hash)}`;
}

interface ParsedHash {
  iterations: number;
  salt: Uint8Array;
  hash: Uint8Array;
}

/** Null for anything that is not a hash this module can check (unknown scheme, bad numbers, bad base64). */
export function parsePasswordHash(stored: string): ParsedHash | null {
  const parts = stored.split("$");
  if (parts.length !== 4 || parts[0] !== SCHEME) return null;
  const [, iterText = "", saltText = "", hashText = ""] = parts;
  if (!/^[1-9][0-9]{0,6}$/.test(iterText)) return null;
  const iterations = Number(iterText);
  // Above the cap, production would throw inside deriveBits; refuse the row instead.
  if (iterations > PBKDF2_MAX_ITERATIONS) return null;
  const salt = fromBase64(saltText);
  const hash = fromBase64(hashText);
  if (!salt || !hash || salt.length < 8 || hash.length < 16) return null;
  return { iterations, salt, hash };
}

export async function verifyPassword(password: string, stored: string, pepper: string): Promise<PasswordVerification> {
  const parsed = parsePasswordHash(stored);
  // An unreadable stored hash still costs one full derivation, so it is not a timing oracle.
  const { iterations, salt, hash } = parsed ?? parsePasswordHash(DUMMY_PASSWORD_HASH)!;
  const candidate = await pbkdf2(await pepperPassword(password, pepper), salt, iterations, hash.length);
  const ok = constantTimeEqual(candidate, hash) && parsed !== null;
  const needsRehash = iterations !== PBKDF2_ITERATIONS || salt.length !== SALT_BYTES || hash.length !== HASH_BYTES;
  return { ok, needsRehash: ok && needsRehash };
}

/** Compares every byte whatever the first difference, so time does not reveal a matching prefix. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromBase64(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}
