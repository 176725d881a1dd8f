/**
 * A background job's live progress: polls GET /v1/admin/jobs/{id} until it
 * succeeds or fails and shows a progress bar with processed / total.
 */
import { api } from "../api/client";
import { unwrap } from "../api/errors";
import { usePolledJob } from "./use-polled-job";

export const JOB_POLL_MS = 500;

export function JobProgress({ id, label }: { id: string; label: string }) {
  const { job, error } = usePolledJob(
    async () => unwrap(await api.GET("/v1/admin/jobs/{id}", { params: { path: { id } } })),
    id,
    JOB_POLL_MS,
  );
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
