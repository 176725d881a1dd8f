/**
 * Keyed hashes of personal references (payee account numbers, national ids):
 * HMAC-SHA-256 under a key derived from the server's pepper with HKDF, one
 * key per purpose. Equal values hash equal (the processor and duplicate
 * checks can match them); nobody without the pepper can test guesses.
 */
const keys = new Map<string, Promise<CryptoKey>>();

function keyFor(pepper: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}\u0000${pepper}`;
  let key = keys.get(id);
  if (!key) {
    key = (async () => {
      const base = await crypto.subtle.importKey("raw", new TextEncoder().encode(pepper), "HKDF", false, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode(`finedge pii ${purpose} v1`) },
        base,
        { name: "HMAC", hash: "SHA-256", length: 256 },
        false,
        ["sign"],
      );
    })();
    keys.set(id, key);
  }
  return key;
}

export async function piiHash(pepper: string, purpose: "payee_ref" | "national_id", value: string): Promise<string> {
  const mac = await crypto.subtle.sign("HMAC", await keyFor(pepper, purpose), new TextEncoder().encode(value));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** All but the last 4 characters masked: "••••1234". */
export function masked(last4: string): string {
  return `••••${last4}`;
}
