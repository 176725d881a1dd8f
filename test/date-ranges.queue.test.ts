/**
 * Defence in depth behind the edge's date checks: an export job whose range
 * slipped past the route (an older build, a hand-made row) fails at once with
 * the reason, on its first delivery, instead of looping or retrying.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createJob, getJob } from "../src/db/pipeline/jobs";
import { deliverJob } from "./helpers/pipeline";

describe("an export job with dates out of range", () => {
  for (const [from, to] of [
    ["9999-12-01", "9999-12-31"],
    ["2026-03-02", "2026-03-01"],
    ["2020-01-01", "2026-01-01"],
  ] as const) {
    it(`fails on its first delivery: ${from}..${to}`, async () => {
      const job = (await createJob(env.DB, "export", "usr_datecheck", {
        dataset: "events",
        format: "ndjson",
        from,
        to,
        user_id: "usr_datecheck",
      }))!;
      const started = Date.now();
      const { result, sent } = await deliverJob({ job_id: job.id, step: 0 });
      expect(Date.now() - started).toBeLessThan(5_000);
      expect([result.retryMessages, sent, result.explicitAcks.length]).toEqual([[], [], 1]);
      const after = (await getJob(env.DB, job.id))!;
      expect(after.status).toBe("failed");
      expect(after.error).toMatch(/from|to|days/);
    });
  }
});
