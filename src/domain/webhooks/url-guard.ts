/**
 * The SSRF guard of webhook endpoints, pure: run when an endpoint is created
 * or its URL changes, and again before every send. Production: `https` on the
 * default port only, no userinfo, no IP literal of a private, loopback,
 * link-local, CGNAT, documentation, multicast or reserved range (IPv4 and
 * IPv6, IPv4-mapped and NAT64 forms included), no `localhost`, `*.localhost`,
 * `*.local`, `*.internal`, `*.home.arpa` or single-label names. With
 * `allowLoopback` (local development and tests only, src/config.ts) a URL on
 * an IPv4 or IPv6 loopback literal (127.0.0.0/8, ::1) is also accepted, over
 * http or https and on any port. Names are not resolved here: Workers cannot
 * resolve DNS, and their fetch never reaches a private network.
 */

export const MAX_URL_LENGTH = 2048;

export type UrlVerdict = { ok: true; url: string } | { ok: false; reason: string };

export interface GuardOptions {
  allowLoopback: boolean;
}

const BLOCKED_SUFFIXES = [".localhost", ".local", ".internal", ".home.arpa", ".lan"];

export function checkWebhookUrl(raw: string, opts: GuardOptions): UrlVerdict {
  if (raw.length > MAX_URL_LENGTH) return refuse(`longer than ${MAX_URL_LENGTH} characters`);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return refuse("not an absolute URL");
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") return refuse("the scheme must be https");
  if (u.username !== "" || u.password !== "") return refuse("credentials (userinfo) are not allowed in the URL");
  const host = u.hostname.toLowerCase();
  const v4 = parseIpv4(host);
  const v6 = host.startsWith("[") && host.endsWith("]") ? parseIpv6(host.slice(1, -1)) : null;
  const loopback = (v4 !== null && v4[0] === 127) || (v6 !== null && isV6Loopback(v6));
  if (opts.allowLoopback && loopback) return { ok: true, url: u.href };
  if (u.protocol !== "https:") return refuse("the scheme must be https");
  if (u.port !== "") return refuse("only the default https port (443) is allowed");
  if (v4) {
    const range = privateV4Range(v4);
    if (range) return refuse(`the address is in a non-public range (${range})`);
    return { ok: true, url: u.href };
  }
  if (host.startsWith("[")) {
    if (!v6) return refuse("not a valid IPv6 address");
    const range = privateV6Range(v6);
    if (range) return refuse(`the address is in a non-public range (${range})`);
    return { ok: true, url: u.href };
  }
  const name = host.endsWith(".") ? host.slice(0, -1) : host;
  if (name === "localhost" || BLOCKED_SUFFIXES.some((s) => name.endsWith(s))) return refuse("the host name is local");
  if (!name.includes(".")) return refuse("the host name must be fully qualified");
  return { ok: true, url: u.href };
}

const refuse = (reason: string): UrlVerdict => ({ ok: false, reason });

/** A dotted-quad the URL parser already normalized (it turns 0x7f.1, 2130706433 … into dotted decimal). */
function parseIpv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

type V4Range = [number, number, number, number, number, string];
const V4_RANGES: V4Range[] = [
  [0, 0, 0, 0, 8, "this network"],
  [10, 0, 0, 0, 8, "private"],
  [100, 64, 0, 0, 10, "CGNAT"],
  [127, 0, 0, 0, 8, "loopback"],
  [169, 254, 0, 0, 16, "link-local"],
  [172, 16, 0, 0, 12, "private"],
  [192, 0, 0, 0, 24, "IETF protocol assignments"],
  [192, 0, 2, 0, 24, "documentation"],
  [192, 88, 99, 0, 24, "6to4 relay"],
  [192, 168, 0, 0, 16, "private"],
  [198, 18, 0, 0, 15, "benchmarking"],
  [198, 51, 100, 0, 24, "documentation"],
  [203, 0, 113, 0, 24, "documentation"],
  [224, 0, 0, 0, 4, "multicast"],
  [240, 0, 0, 0, 4, "reserved"],
];

const v4Number = (p: readonly number[]) => ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;

export function privateV4Range(parts: readonly number[]): string | null {
  const n = v4Number(parts);
  for (const [a, b, c, d, bits, name] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((n & mask) >>> 0 === (v4Number([a, b, c, d]) & mask) >>> 0) return name;
  }
  return null;
}

/** Eight 16-bit groups, or null; accepts `::` and a dotted IPv4 tail. */
export function parseIpv6(text: string): number[] | null {
  if (text.includes("%")) return null; // zone ids never name a public host
  let s = text;
  const tail: number[] = [];
  const dotted = /(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})$/.exec(s);
  if (dotted) {
    const v4 = parseIpv4(dotted[1]!);
    if (!v4) return null;
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    s = s.slice(0, -dotted[1]!.length);
    if (!s.endsWith("::")) s = s.slice(0, -1); // "…:1.2.3.4" leaves a ":" that joins nothing
  }
  const halves = s.split("::");
  if (halves.length > 2) return null;
  const group = (part: string) => (part === "" ? [] : part.split(":"));
  const head = group(halves[0] ?? "");
  const rest = halves.length === 2 ? group(halves[1] ?? "") : [];
  const toNums = (xs: string[]) => xs.map((x) => (/^[0-9a-f]{1,4}$/i.test(x) ? Number.parseInt(x, 16) : Number.NaN));
  const h = toNums(head);
  const r = toNums(rest);
  if ([...h, ...r].some(Number.isNaN)) return null;
  const known = h.length + r.length + tail.length;
  if (halves.length === 1) return known === 8 ? [...h, ...tail] : null;
  if (known > 7) return null;
  return [...h, ...Array(8 - known).fill(0), ...r, ...tail];
}

const isV6Loopback = (g: readonly number[]) => g.slice(0, 7).every((x) => x === 0) && g[7] === 1;

/** Only global unicast (2000::/3) is public, minus documentation, Teredo, 6to4 and ORCHID-style special blocks. */
export function privateV6Range(g: readonly number[]): string | null {
  if (g.every((x) => x === 0)) return "unspecified";
  if (isV6Loopback(g)) return "loopback";
  const [a = 0, b = 0] = g;
  if (g.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff) return "IPv4-mapped";
  if (a === 0x64 && b === 0xff9b) return "NAT64";
  if ((a & 0xfe00) === 0xfc00) return "unique local (ULA)";
  if ((a & 0xffc0) === 0xfe80) return "link-local";
  if ((a & 0xff00) === 0xff00) return "multicast";
  if ((a & 0xe000) !== 0x2000) return "not global unicast";
  if (a === 0x2001 && b === 0x0db8) return "documentation";
  if (a === 0x2001 && b < 0x0200) return "IETF special purpose (Teredo, ORCHID …)";
  if (a === 0x2002) return "6to4";
  return null;
}
