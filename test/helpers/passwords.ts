/**
 * An independent implementation of the stored password scheme, for tests that
 * check the real one against it or plant hashes with older parameters.
 */
import { toBase64 } from "../../src/auth/password";

/** HMAC-SHA256(pepper, password) → PBKDF2-SHA256(salt, iterations), in the stored format. */
export async function referenceHash(password: string, pepper: string, salt: Uint8Array, iterations: number, bytes = 32): Promise<string> {
  const enc = new TextEncoder();
  const hmacKey = await crypto.subtle.importKey("raw", enc.encode(pepper), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const peppered = await crypto.subtle.sign("HMAC", hmacKey, enc.encode(password));
  const key = await crypto.subtle.importKey("raw", peppered, "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits({ name: "PBKDF2", hash: "SHA-256", salt, iterations }, key, bytes * 8);
  return `pbkdf2-sha256$${iterations}$${toBase64(salt)}$${toBase64(new Uint8Array(bits))}`;
}
