/**
 * The D1 half of the retention job (queues/retention.ts): finished pipeline
 * runs and jobs past their age, the replay exclusions of jobs no longer
 * there, and login-throttle rows whose window and lock are long over. Each
 * statement deletes at most BATCH rows, so one run stays bounded; what is
 * left goes at the next run. The audit log is never pruned.
 */
const BATCH = 5_000;

export interface D1Pruned {
  pipeline_runs: number;
  jobs: number;
  replay_exclusions: number;
  login_attempts: number;
}

export async function pruneD1(
  db: D1Database,
  cutoffs: { pipelineRuns: string; jobs: string; loginAttempts: number; now: number },
): Promise<D1Pruned> {
  const [runs, jobs, exclusions, attempts] = await db.batch([
    db
      .prepare(`DELETE FROM pipeline_runs WHERE id IN (SELECT id FROM pipeline_runs WHERE started_at < ?1 LIMIT ${BATCH})`)
      .bind(cutoffs.pipelineRuns),
    // Only finished jobs: a queued or running one keeps its row however old.
    db
      .prepare(
        `DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE status IN ('succeeded', 'failed') AND COALESCE(finished_at, created_at) < ?1 LIMIT ${BATCH})`,
      )
      .bind(cutoffs.jobs),
    db.prepare(
      `DELETE FROM replay_exclusions WHERE rowid IN (SELECT e.rowid FROM replay_exclusions e LEFT JOIN jobs j ON j.id = e.job_id WHERE j.id IS NULL LIMIT ${BATCH})`,
    ),
    db
      .prepare(
        `DELETE FROM login_attempts WHERE key IN (SELECT key FROM login_attempts WHERE window_started_at < ?1 AND locked_until < ?2 LIMIT ${BATCH})`,
      )
      .bind(cutoffs.loginAttempts, cutoffs.now),
  ]);
  const n = (r: D1Result | undefined) => r?.meta.changes ?? 0;
  return { pipeline_runs: n(runs), jobs: n(jobs), replay_exclusions: n(exclusions), login_attempts: n(attempts) };
}
