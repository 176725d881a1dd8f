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

/** The last header seen and its key: a client's requests usually come in runs, and the key depends on the header alone. */
let last: { header: string; key: string } | null = null;

export function clientKey(header: string | undefined | null): string {
  if (header == null) return UNKNOWN_CLIENT;
  if (last?.header === header) return last.key;
  const key = keyOf(header);
  last = { header, key };
  return key;
}

function keyOf(header: string): string {
  const ip = header.trim();
  if (!ip) return UNKNOWN_CLIENT;
  if (!ip.includes(":")) return ip;
  return ipv6Prefix64(ip) ?? ip.toLowerCase();
}

const GROUP = /^[0-9a-f]{1,4}$/;

/**
 * `2001:db8:1:2:…` → `2001:db8:1:2::/64`; null when the text is not an IPv6
 * address. Runs on every request (the per-IP limit), so it walks the groups
 * once without building intermediate arrays beyond the split.
 */
export function ipv6Prefix64(ip: string): string | null {
  let text = ip.toLowerCase();
  const zone = text.indexOf("%");
  if (zone >= 0) text = text.slice(0, zone);
  // An embedded IPv4 tail (::ffff:1.2.3.4) sits in the last 32 bits, outside the /64.
  if (text.includes(".")) text = `${text.slice(0, text.lastIndexOf(":") + 1)}0:0`;
  const gap = text.indexOf("::");
  if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) return null;
  const head = gap < 0 ? text.split(":") : gap === 0 ? [] : text.slice(0, gap).split(":");
  const tail = gap < 0 || gap + 2 === text.length ? [] : text.slice(gap + 2).split(":");
  const missing = 8 - head.length - tail.length;
  if (gap >= 0 ? missing < 1 : missing !== 0) return null;
  for (const g of head) if (!GROUP.test(g)) return null;
  for (const g of tail) if (!GROUP.test(g)) return null;
  // The first four groups: from the head, then zeros for the gap, then the tail's.
  let out = "";
  for (let i = 0; i < 4; i++) {
    const g = i < head.length ? head[i] : i < head.length + missing ? "0" : (tail[i - head.length - missing] as string);
    out += `${trimZeros(g as string)}:`;
  }
  return `${out}:/64`;
}

function trimZeros(g: string): string {
  let i = 0;
  while (i < g.length - 1 && g.charCodeAt(i) === 48) i++;
  return i === 0 ? g : g.slice(i);
}
