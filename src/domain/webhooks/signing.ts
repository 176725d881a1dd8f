/**
 * Standard Webhooks signing (https://www.standardwebhooks.com), with
 * WebCrypto only: a secret is `whsec_` + base64 of 32 random bytes; a
 * signature is `v1,` + base64(HMAC-SHA256(secret bytes, `${id}.${timestamp}.${body}`));
 * `webhook-signature` carries one per live secret, space-separated (two for a
 * while after a rotation), so a receiver holding either secret verifies.
 */

export const SECRET_PREFIX = "whsec_";
const SECRET_BYTES = 32;

const toBase64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const fromBase64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));

export function newSecret(): string {
  return SECRET_PREFIX + toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)));
}

export function secretBytes(secret: string): Uint8Array {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error("not a whsec_ secret");
  return fromBase64(secret.slice(SECRET_PREFIX.length));
}

export async function signature(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", secretBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${id}.${timestamp}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The three headers of one attempt: `timestamp` is Unix seconds at the send. */
export async function signedHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Promise<{ "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string }> {
  const sigs = await Promise.all(secrets.map((s) => signature(s, id, timestamp, body)));
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": sigs.join(" "),
  };
}
