/**
 * The devices a user signed in from: a user agent and an IP prefix (an IPv4
 * /24 or an IPv6 /64, never the address). A sign-in from a pair not seen
 * before is a new device; the newest MAX_DEVICES are remembered.
 */
import type { LazySql } from "./lazy-sql";

export const MAX_DEVICES = 50;

export class KnownDevices {
  constructor(readonly store: LazySql) {}

  /** Records the sign-in; true when this device was not known. */
  seen(userAgent: string, ipPrefix: string, now: number): boolean {
    const sql = this.store.writable();
    const device = `${ipPrefix}|${userAgent}`;
    const known = sql.exec("SELECT 1 FROM known_devices WHERE device = ?", device).toArray().length > 0;
    if (known) sql.exec("UPDATE known_devices SET last_seen = ? WHERE device = ?", now, device);
    else {
      sql.exec(
        "INSERT INTO known_devices (device, user_agent, ip_prefix, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)",
        device,
        userAgent,
        ipPrefix,
        now,
        now,
      );
      sql.exec(
        "DELETE FROM known_devices WHERE device IN (SELECT device FROM known_devices ORDER BY last_seen DESC LIMIT -1 OFFSET ?)",
        MAX_DEVICES,
      );
    }
    return !known;
  }
}
