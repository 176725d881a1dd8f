/** The admin area's overview: recent pipeline runs, with links to dead letters, replay and reconcile. */
import { api } from "../../api/client";
import { unwrap } from "../../api/errors";
import type { PipelineRun } from "../../api/types";
import { type Column, DataTable } from "../../components/data-table";
import { ErrorNote, Loading } from "../../components/status";
import { useData } from "../../components/use-data";
import { formatDateTime } from "../../lib/dates";
import type { PageRoute } from "../../router";
import { AdminNav } from "./admin-nav";

const columns: Column<PipelineRun>[] = [
  { header: "Finished", cell: (r) => formatDateTime(r.finished_at) },
  { header: "Queue", cell: (r) => r.queue },
  {
    header: "Status",
    cell: (r) => (
      <span class={r.status === "ok" ? "success" : "error"}>
        {r.status}
        {r.error ? `: ${r.error}` : ""}
      </span>
    ),
  },
  { header: "Messages", num: true, cell: (r) => r.messages },
  { header: "Valid", num: true, cell: (r) => r.valid },
  { header: "Invalid", num: true, cell: (r) => r.invalid },
  { header: "Duplicates", num: true, cell: (r) => r.duplicates },
  { header: "Gold rows", num: true, cell: (r) => r.gold_rows },
  { header: "ms", num: true, cell: (r) => r.duration_ms },
];

function PipelineRuns() {
  const { data, error, loading } = useData(
    async () => unwrap(await api.GET("/v1/admin/pipeline/runs", { params: { query: { limit: 50 } } })),
    [],
    {
      pollMs: 5000,
    },
  );
  return (
    <>
      <h1>Admin: pipeline runs</h1>
      <AdminNav />
      <ErrorNote error={error} />
      {loading && !data && <Loading />}
      {data && (
        <DataTable
          caption="Latest consumer batches and replay chunks"
          columns={columns}
          rows={data.data}
          rowKey={(r) => r.id}
          rowTestId="pipeline-run"
        />
      )}
    </>
  );
}

export const route: PageRoute = {
  path: "/admin",
  title: "Admin: pipeline runs",
  access: "admin",
  nav: { label: "Admin", order: 90 },
  component: PipelineRuns,
};
