/**
 * A background job's live progress: polls GET /v1/admin/jobs/{id} (or the
 * given `load`, e.g. GET /v1/rules/apply/{id}) until it succeeds or fails and
 * shows a progress bar with processed / total.
 */
import { api } from "../api/client";
import { unwrap } from "../api/errors";
import type { Job } from "../api/types";
import { usePolledJob } from "./use-polled-job";

export const JOB_POLL_MS = 500;

const adminJob = async (id: string) => unwrap(await api.GET("/v1/admin/jobs/{id}", { params: { path: { id } } }));

export function JobProgress({ id, label, load = adminJob }: { id: string; label: string; load?: (id: string) => Promise<Job> }) {
  const { job, error } = usePolledJob(() => load(id), id, JOB_POLL_MS);
  if (error)
    return (
      <p class="error" role="alert">
        {error}
      </p>
    );
  if (!job) return <p class="muted">Starting…</p>;
  const finished = job.status === "succeeded" || job.status === "failed";
  return (
    <div class="job" data-testid="job-progress" data-status={job.status}>
      <label>
        {label}
        <progress max={100} value={job.percent} />
      </label>
      <p role="status" aria-live="polite" data-testid="job-status">
        {job.status} · {job.percent}% · {job.processed}
        {job.total != null ? ` of ${job.total}` : ""} processed
      </p>
      {job.error && <p class="error">{job.error}</p>}
      {finished && job.result != null && <pre class="small">{JSON.stringify(job.result, null, 2)}</pre>}
    </div>
  );
}
