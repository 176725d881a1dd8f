/**
 * The client a login attempt is throttled under: the `CF-Connecting-IP`
 * address Cloudflare sets, an IPv6 address reduced to its /64 (one host
 * usually holds the whole prefix), lowercased and expanded so one client has
 * one spelling. Anything unparsable shares the key `unknown`.
 */

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HEXTET = /^[0-9a-f]{1,4}$/;

function ipv6Prefix64(address: string): string | null {
  const parts = address.toLowerCase().split("::");
  if (parts.length > 2) return null;
  const head = parts[0] ? parts[0].split(":") : [];
  const tail = parts.length === 2 && parts[1] ? parts[1].split(":") : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4) takes two hextets' room; only the first four matter here.
  const last = tail.length > 0 ? tail : head;
  if (last.length > 0 && IPV4.test(last[last.length - 1]!)) last.splice(-1, 1, "0", "0");
  const missing = 8 - head.length - tail.length;
  if ((parts.length === 1 && missing !== 0) || (parts.length === 2 && missing < 1)) return null;
  const all = [...head, ...Array<string>(parts.length === 2 ? missing : 0).fill("0"), ...tail];
  if (!all.every((h) => HEXTET.test(h))) return null;
  return `${all
    .slice(0, 4)
    .map((h) => h.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}

export function clientKey(header: string | undefined): string {
  const address = (header ?? "").trim();
  if (IPV4.test(address)) return address;
  if (address.includes(":")) return ipv6Prefix64(address) ?? "unknown";
  return "unknown";
}

/** The network a client is in, for the user's eyes (a new-device notice): an IPv4 /24 or an IPv6 /64, never the address. */
export function networkPrefix(header: string | undefined): string {
  const key = clientKey(header);
  if (IPV4.test(key)) return `${key.split(".").slice(0, 3).join(".")}.0/24`;
  return key;
}
