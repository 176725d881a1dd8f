/** Admin: rebuild Silver and Gold from Bronze for a date range (or everything), watching the replay job's progress live. */
import { useState } from "preact/hooks";
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import { field, useSubmit } from "../../components/form";
import { FormStatus } from "../../components/form-status";
import { JobProgress } from "../../components/job-progress";
import type { PageRoute } from "../../router";
import { AdminNav } from "../admin/admin-nav";

function ReplayPage() {
  const [jobId, setJobId] = useState<string | undefined>();
  const s = useSubmit(async (f) => {
    const from = field(f, "from");
    const to = field(f, "to");
    const job = unwrap(await api.POST("/v1/admin/replay", { body: { ...(from && { from }), ...(to && { to }) } }));
    setJobId(job.id);
    return `Replay ${job.id} started.`;
  });
  return (
    <>
      <h1>Admin: replay</h1>
      <AdminNav />
      <form class="card" onSubmit={s.onSubmit} aria-labelledby="h-replay">
        <h2 id="h-replay">Rebuild from Bronze</h2>
        <p class="muted">Dates are widened to whole months; leave both empty to rebuild everything.</p>
        <div class="form-row">
          <label>
            From
            <input name="from" type="date" />
          </label>
          <label>
            To
            <input name="to" type="date" />
          </label>
        </div>
        <FormStatus s={s} />
        <button type="submit" disabled={s.busy}>
          Start replay
        </button>
      </form>
      {jobId && (
        <section class="card" aria-labelledby="h-progress">
          <h2 id="h-progress">Progress</h2>
          <JobProgress key={jobId} id={jobId} label="Replay progress" />
        </section>
      )}
    </>
  );
}

export const route: PageRoute = { path: "/admin/replay", title: "Admin: replay", access: "admin", component: ReplayPage };
