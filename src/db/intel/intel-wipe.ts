/**
 * Replay's wipe of the intelligence tables the pipeline derives from Silver:
 * `intel_anomalies` (by the entry's UTC day) and `gold_cashback` (by month),
 * everything when there is no range. Like the Silver and Gold wipe
 * (src/db/pipeline/gold.ts wipeStatements), each statement runs only while
 * job `jobId` is still at step 0.
 */
import { lastDayOfMonth } from "../../pipeline/time";

export function intelWipeStatements(
  db: D1Database,
  range: { fromMonth: string; toMonth: string } | null,
  jobId: string,
): D1PreparedStatement[] {
  const guard = "(SELECT step FROM jobs WHERE id = ?1) = 0";
  if (!range) return ["intel_anomalies", "gold_cashback"].map((t) => db.prepare(`DELETE FROM ${t} WHERE ${guard}`).bind(jobId));
  const fromDay = `${range.fromMonth}-01`;
  // occurred_at is an instant: everything before the day after the range's last day.
  const toDay = lastDayOfMonth(`${range.toMonth}-01`);
  return [
    db
      .prepare(`DELETE FROM intel_anomalies WHERE occurred_at >= ?2 AND substr(occurred_at, 1, 10) <= ?3 AND ${guard}`)
      .bind(jobId, fromDay, toDay),
    db.prepare(`DELETE FROM gold_cashback WHERE month BETWEEN ?2 AND ?3 AND ${guard}`).bind(jobId, range.fromMonth, range.toMonth),
  ];
}
