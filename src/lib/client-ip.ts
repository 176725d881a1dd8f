/**
 * The client a request is counted against: `CF-Connecting-IP`, which
 * Cloudflare sets on every request in production (a client cannot forge it
 * there). An IPv6 address counts as its /64, the block one subscriber usually
 * holds, so rotating through it buys nothing. Locally miniflare sets the header
 * only when the request lacks one, so tests and benches may send their own;
 * a request with no header at all (`exports.default.fetch` in tests) counts
 * under the one key "unknown".
 */

export const UNKNOWN_CLIENT = "unknown";

export function clientKey(header: string | undefined | null): string {
  const ip = header?.trim();
  if (!ip) return UNKNOWN_CLIENT;
  if (!ip.includes(":")) return ip;
  return ipv6Prefix64(ip) ?? ip.toLowerCase();
}

/** `2001:db8:1:2:…` → `2001:db8:1:2::/64`; null when the text is not an IPv6 address. */
export function ipv6Prefix64(ip: string): string | null {
  let text = ip.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded IPv4 tail (::ffff:1.2.3.4) sits in the last 32 bits, outside the /64.
  if (text.includes(".")) text = text.slice(0, text.lastIndexOf(":") + 1) + "0:0";
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(":") : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(":") : [];
  const missing = 8 - head.length - tail.length;
  if ((halves.length === 2 && missing < 1) || (halves.length === 1 && missing !== 0)) return null;
  const groups = [...head, ...Array<string>(Math.max(missing, 0)).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
