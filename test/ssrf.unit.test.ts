/**
 * The webhook URL guard (src/domain/webhooks/url-guard.ts), pure: what
 * production accepts and refuses, and the one thing local dev adds (loopback).
 */
import { describe, expect, it } from "vitest";
import { checkWebhookUrl, parseIpv6 } from "../src/domain/webhooks/url-guard";

const prod = { allowLoopback: false };
const local = { allowLoopback: true };

describe("checkWebhookUrl in production", () => {
  it.each([
    "https://hooks.example.com/finedge",
    "https://hooks.example.com:443/x?y=1",
    "https://93.184.216.34/hook",
    "https://[2606:4700:4700::1111]/hook",
    "https://HOOKS.Example.COM./path",
  ])("accepts %s", (url) => {
    expect(checkWebhookUrl(url, prod).ok).toBe(true);
  });

  it.each([
    ["http://hooks.example.com/", "https"],
    ["ftp://hooks.example.com/", "https"],
    ["not a url", "absolute"],
    ["https://user:pw@hooks.example.com/", "userinfo"],
    ["https://user@hooks.example.com/", "userinfo"],
    ["https://hooks.example.com:8443/", "443"],
    ["https://localhost/", "local"],
    ["https://LOCALHOST./", "local"],
    ["https://api.localhost/", "local"],
    ["https://printer.local/", "local"],
    ["https://metadata.google.internal/", "local"],
    ["https://router.home.arpa/", "local"],
    ["https://intranet/", "fully qualified"],
    ["https://127.0.0.1/", "loopback"],
    ["https://127.1/", "loopback"],
    ["https://2130706433/", "loopback"],
    ["https://0x7f000001/", "loopback"],
    ["https://0.0.0.0/", "this network"],
    ["https://10.1.2.3/", "private"],
    ["https://172.16.0.1/", "private"],
    ["https://172.31.255.255/", "private"],
    ["https://192.168.1.1/", "private"],
    ["https://100.64.0.1/", "CGNAT"],
    ["https://100.127.255.254/", "CGNAT"],
    ["https://169.254.169.254/latest/meta-data", "link-local"],
    ["https://192.0.2.1/", "documentation"],
    ["https://198.18.0.1/", "benchmarking"],
    ["https://224.0.0.1/", "multicast"],
    ["https://255.255.255.255/", "reserved"],
    ["https://[::1]/", "loopback"],
    ["https://[::]/", "unspecified"],
    ["https://[::ffff:127.0.0.1]/", "IPv4-mapped"],
    ["https://[::ffff:10.0.0.1]/", "IPv4-mapped"],
    ["https://[::ffff:93.184.216.34]/", "IPv4-mapped"],
    ["https://[64:ff9b::a00:1]/", "NAT64"],
    ["https://[fc00::1]/", "ULA"],
    ["https://[fd12:3456::1]/", "ULA"],
    ["https://[fe80::1]/", "link-local"],
    ["https://[ff02::1]/", "multicast"],
    ["https://[2001:db8::1]/", "documentation"],
    ["https://[2002:a00:1::1]/", "6to4"],
    ["https://[2001:0:4136:e378::1]/", "Teredo"],
    [`https://hooks.example.com/${"a".repeat(2100)}`, "longer"],
  ])("refuses %s (%s)", (url, why) => {
    const v = checkWebhookUrl(url, prod);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toContain(why);
  });

  it("refuses loopback over http without the local switch", () => {
    expect(checkWebhookUrl("http://127.0.0.1:8788/hook", prod).ok).toBe(false);
    expect(checkWebhookUrl("http://[::1]:8788/hook", prod).ok).toBe(false);
  });
});

describe("checkWebhookUrl in local development", () => {
  it("accepts loopback literals over http on any port", () => {
    expect(checkWebhookUrl("http://127.0.0.1:8788/hook", local)).toEqual({ ok: true, url: "http://127.0.0.1:8788/hook" });
    expect(checkWebhookUrl("http://127.0.0.2:1/x", local).ok).toBe(true);
    expect(checkWebhookUrl("http://[::1]:9000/", local).ok).toBe(true);
  });

  it("still refuses the other private ranges, names, userinfo and plain http elsewhere", () => {
    for (const url of [
      "http://10.0.0.1/",
      "https://192.168.0.1/",
      "http://localhost:8788/",
      "http://user:pw@127.0.0.1:8788/",
      "http://hooks.example.com/",
      "http://[::ffff:127.0.0.1]:8788/",
    ])
      expect(checkWebhookUrl(url, local).ok, url).toBe(false);
  });
});

describe("parseIpv6", () => {
  it("expands compressed forms and dotted tails, refuses malformed ones", () => {
    expect(parseIpv6("::1")).toEqual([0, 0, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6("2001:db8::8:1")).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 8, 1]);
    expect(parseIpv6("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0xffff, 0x102, 0x304]);
    expect(parseIpv6("1:2:3:4:5:6:7:8")).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    for (const bad of ["1::2::3", "12345::", "1:2:3", "fe80::1%eth0", "g::1", "1:2:3:4:5:6:7:8:9"]) expect(parseIpv6(bad), bad).toBeNull();
  });
});
