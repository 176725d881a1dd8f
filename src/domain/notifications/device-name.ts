/**
 * A user agent as a person reads it: "Chrome 156 on Linux", "Safari 17 on
 * iOS". Parsed by bowser; what it cannot name is shown trimmed as sent.
 */
import Bowser from "bowser";

const MAX_RAW = 60;

export function deviceName(userAgent: string): string {
  const ua = userAgent.trim();
  if (!ua) return "an unknown browser";
  const { browser, os } = Bowser.parse(ua);
  if (!browser.name) return ua.length > MAX_RAW ? `${ua.slice(0, MAX_RAW)}…` : ua;
  const major = browser.version?.split(".")[0];
  const name = major ? `${browser.name} ${major}` : browser.name;
  return os.name ? `${name} on ${os.name}` : name;
}
